/**
 * `git spe context`: pack codebase context from git state. The document goes to stdout or
 * --output; the summary, warnings about withheld files and --stats go to stderr. With --json,
 * stdout carries the JSON pack (or, with --output, a JSON summary of what was written).
 */
import path from "node:path";
import { packEnvironment } from "../workflow/pack-environment.ts";
import { packContext, type PackResult } from "../context/pack.ts";
import type { PackOptions } from "../context/pack-types.ts";
import { describeLevels } from "../context/map-pack.ts";
import { formatBytes } from "../context/read.ts";
import type { SelectorOptions } from "../context/select.ts";
import { writeChunksToFile, writeChunksToStream } from "../util/write-chunks.ts";
import { openWorkspace } from "../workspace.ts";
import { readStreamText } from "../util/read-stream.ts";
import type { CommandContext } from "./command-context.ts";
import { thousands } from "../util/thousands.ts";

/** The command line's pack options, as packContext takes them (pack-types.ts), plus its own. */
export interface ContextCommandOptions extends Partial<
  Pick<
    PackOptions,
    | "format"
    | "budget"
    | "removeComments"
    | "removeEmptyLines"
    | "compress"
    | "map"
    | "diff"
    | "log"
  >
> {
  selectors: Omit<SelectorOptions, "stdinPaths" | "planFiles">;
  /** --plan ID */
  plan?: string;
  /** Read paths from stdin. */
  stdin?: boolean;
  output?: string;
  stats?: boolean;
  /** false: no cache is used or updated (`--no-cache`). */
  cache?: boolean;
  /** false: a stored pack is neither reused nor stored (the blob-id cache still is). */
  reuse?: boolean;
}

/** Paths from stdin: NUL-separated when any NUL is present (`git ls-files -z`), else lines. */
export function parseStdinPaths(input: string): string[] {
  const parts = input.includes("\0") ? input.split("\0") : input.split(/\r?\n/);
  return parts.filter((p) => p !== "");
}

export async function context(
  ctx: CommandContext,
  options: ContextCommandOptions,
): Promise<PackResult> {
  let plan: string[] | undefined;
  let ws;
  if (options.plan !== undefined) {
    // Loaded for --plan only: the plan and spec modules bring zod (~40 ms of a start).
    const [{ planFiles }, { resolveSpec }, { readPlanForExec }, { openPhaseEnvironment }] =
      await Promise.all([
        import("../plan/schema.ts"),
        import("../workflow/plan.ts"),
        import("../workflow/execute/prepare.ts"),
        import("./phase-env.ts"),
      ]);
    const pe = await openPhaseEnvironment(ctx);
    ws = pe.ws;
    const { document } = await readPlanForExec(pe, await resolveSpec(pe, options.plan));
    plan = planFiles(document.plan);
  } else {
    ws = await openWorkspace(ctx);
  }
  const stdinPaths = options.stdin ? parseStdinPaths(await readStreamText(ctx.stdin)) : undefined;
  const format = options.format ?? (ctx.log.jsonMode && !options.output ? "json" : "xml");
  return packContext(
    packEnvironment(
      { ws, cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, log: ctx.log },
      options.selectors.select,
    ),
    {
      selectors: {
        ...options.selectors,
        ...(stdinPaths ? { stdinPaths } : {}),
        ...(plan ? { planFiles: plan } : {}),
      },
      format,
      budget: options.budget,
      removeComments: options.removeComments,
      removeEmptyLines: options.removeEmptyLines,
      compress: options.compress,
      map: options.map,
      diff: options.diff,
      log: options.log,
      maxFileBytes: ws.config.context.maxFileBytes,
      exclude: ws.config.context.exclude,
      ...(options.cache === false ? { cache: false } : {}),
      ...(options.reuse === false ? { reuse: false } : {}),
    },
  );
}

export function summarize(result: PackResult, destination: string): string[] {
  const counts = new Map<string, number>();
  for (const s of result.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const skipped = [...counts].map(([reason, n]) => `${n} ${reason}`).join(", ");
  const lines = [
    `packed ${result.files.length} files, ${thousands(result.totalTokens)} tokens (${result.format}) to ${destination} in ${result.stats.durationMs} ms` +
      (result.stats.reused ? " (stored pack reused: no selected file changed)" : "") +
      (skipped ? `; not included: ${skipped}` : ""),
  ];
  if (result.levels) {
    lines.push(`map: ${describeLevels(result.levels)}`);
  } else if (result.dropped.length > 0) {
    const tokens = result.dropped.reduce((sum, f) => sum + f.tokens, 0);
    lines.push(
      `dropped ${result.dropped.length} lowest-ranked files (${thousands(tokens)} tokens) to fit the budget`,
    );
  }
  return lines;
}

export function formatStats(result: PackResult, top = 10): string[] {
  const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
  const largest = [...result.files].sort((a, b) => b.tokens - a.tokens).slice(0, top);
  const width = Math.max(0, ...largest.map((f) => thousands(f.tokens).length));
  return [
    `files: ${result.files.length} (${formatBytes(bytes)})`,
    `total tokens: ${thousands(result.totalTokens)} (o200k)`,
    `top ${largest.length} files by tokens:`,
    ...largest.map((f) => `  ${thousands(f.tokens).padStart(width)}  ${f.path}`),
  ];
}

/** Writes the pack and reports on it, as the CLI does. */
export async function runContextCommand(
  ctx: CommandContext,
  options: ContextCommandOptions,
): Promise<void> {
  const result = await context(ctx, options);
  let destination = "stdout";
  if (options.output) {
    const file = path.resolve(ctx.cwd, options.output);
    writeChunksToFile(file, result.chunks);
    destination = options.output;
    ctx.log.json({
      output: file,
      format: result.format,
      files: result.files.length,
      totalTokens: result.totalTokens,
      skipped: result.skipped,
      reused: result.stats.reused,
      ...(result.levels ? { levels: result.levels } : {}),
    });
  } else {
    await writeChunksToStream(ctx.stdout, result.chunks);
  }
  for (const s of result.skipped.filter((s) => s.reason === "secret")) {
    ctx.log.warn(`${s.path} kept out: possible secret (${s.detail ?? "secretlint"})`);
  }
  ctx.log.info(summarize(result, destination).join("\n"));
  if (options.stats) ctx.log.info(formatStats(result).join("\n"));
}
