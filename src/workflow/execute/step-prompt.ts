/**
 * The prompt for one step, the same for every executor: the spec, the whole plan, the step, the
 * step's files as they are in the worktree (less what context packing keeps from a model: files
 * excluded by .speignore or context.exclude, binary files, files the secret scan flags), and on a
 * repair attempt the failed validation.
 */
import fs from "node:fs/promises";
import { createPathConfinement } from "../../agent/confine-path.ts";
import { ToolError } from "../../agent/tool-result.ts";
import { loadIgnoreRules, type IgnoreTest } from "../../context/ignore-rules.ts";
import { formatBytes, gitBlobId, looksBinary } from "../../context/read.ts";
import { fence } from "../../context/render.ts";
import { scanSecrets } from "../../context/secrets.ts";
import type { PlanStep } from "../../plan/schema.ts";
import { loadPrompt } from "../prompts.ts";
import { failedRun, type ValidationRecord } from "./run-state.ts";

const maxFileChars = 60_000;

/** What keeps a planned file's content out of the prompt, as for context packing. */
export interface StepFileFilter {
  /** `.speignore` and `context.exclude`. */
  isIgnored: IgnoreTest;
  /** `context.maxFileBytes`: larger files are not read at all. */
  maxFileBytes: number;
  /** Verdicts on content by blob id, kept across a step's attempts. */
  verdicts?: Map<string, string | null>;
  /** Called for each file left out, with why (never its content). */
  onWithheld?: (path: string, reason: string) => void;
}

const noFilter: StepFileFilter = { isIgnored: () => false, maxFileBytes: Infinity };

/** The filter for one step: the repository's ignore rules, and one warning per withheld file. */
export async function createStepFileFilter(
  toplevel: string,
  context: { exclude: readonly string[]; maxFileBytes: number },
  warn: (file: string, reason: string) => void,
): Promise<StepFileFilter> {
  const warned = new Set<string>();
  return {
    isIgnored: await loadIgnoreRules(toplevel, context.exclude),
    maxFileBytes: context.maxFileBytes,
    verdicts: new Map(),
    onWithheld: (file, reason) => {
      if (warned.has(file)) return;
      warned.add(file);
      warn(file, reason);
    },
  };
}

/** Why content is not shown (binary, a secret), or null to show it; scanned once per blob. */
async function contentVerdict(bytes: Buffer, filter: StepFileFilter): Promise<string | null> {
  const id = gitBlobId(bytes);
  const known = filter.verdicts?.get(id);
  if (known !== undefined) return known;
  let verdict: string | null = null;
  if (looksBinary(bytes)) verdict = "binary";
  else {
    const first = (await scanSecrets([{ key: id, text: bytes.toString("utf8") }])).get(id)?.[0];
    if (first) verdict = `it may hold a secret (${first.ruleId}, line ${first.line})`;
  }
  filter.verdicts?.set(id, verdict);
  return verdict;
}

type Planned = { bytes: Buffer } | { withheld: string } | { absent: string };

/** A planned file as the step may see it: read inside the worktree, or why it is not shown. */
async function readPlanned(
  confinement: Awaited<ReturnType<typeof createPathConfinement>>,
  file: string,
  filter: StepFileFilter,
): Promise<Planned> {
  let resolved;
  try {
    resolved = await confinement.resolve(file);
  } catch (error) {
    if (error instanceof ToolError) return { absent: "not shown: it is outside the worktree" };
    throw error;
  }
  // A symlink inside the worktree is judged by its target's path too.
  if (filter.isIgnored(file) || filter.isIgnored(resolved.display))
    return { withheld: "excluded by .speignore or context.exclude" };
  const stat = await fs.stat(resolved.real).catch(() => undefined);
  if (!stat) return { absent: "does not exist yet" };
  if (!stat.isFile()) return { withheld: "not a regular file" };
  if (stat.size > filter.maxFileBytes)
    return { withheld: `${formatBytes(stat.size)}, over context.maxFileBytes` };
  const bytes = await fs.readFile(resolved.real).catch(() => undefined);
  if (!bytes) return { absent: "does not exist yet" };
  const verdict = await contentVerdict(bytes, filter);
  return verdict === null ? { bytes } : { withheld: verdict };
}

export async function stepFiles(
  worktree: string,
  step: PlanStep,
  filter: StepFileFilter = noFilter,
): Promise<string> {
  if (step.files.length === 0) return "(this step names no files)";
  // The plan's paths are checked (relative, no "..", not in .git), but a tracked symlink can
  // still lead out of the worktree: resolve them as the editor tool does, never read outside.
  // The same rules that keep a file out of packed context keep its content out of the step.
  const confinement = await createPathConfinement(worktree);
  const parts: string[] = [];
  for (const file of step.files) {
    const planned = await readPlanned(confinement, file.path, filter);
    if ("absent" in planned) {
      parts.push(`## ${file.path} (${file.action}; ${planned.absent})`);
      continue;
    }
    if ("withheld" in planned) {
      filter.onWithheld?.(file.path, planned.withheld);
      parts.push(`## ${file.path} (${file.action}; not shown: ${planned.withheld})`);
      continue;
    }
    const content = planned.bytes.toString("utf8");
    const shown =
      content.length > maxFileChars
        ? `${content.slice(0, maxFileChars)}\n… (${content.length - maxFileChars} more characters; view the file for the rest)`
        : content;
    const marker = fence(shown);
    parts.push(
      `## ${file.path} (${file.action})\n${marker}\n${shown}${shown.endsWith("\n") ? "" : "\n"}${marker}`,
    );
  }
  return parts.join("\n\n");
}

export function describeStep(step: PlanStep): string {
  const lines = [`## ${step.id}: ${step.title}`, ""];
  lines.push(
    `Files: ${step.files.length === 0 ? "none" : step.files.map((f) => `${f.action} ${f.path}`).join(", ")}`,
  );
  if (step.validate?.length) lines.push(`Validated with: ${step.validate.join("; ")}`);
  lines.push("", step.description);
  return lines.join("\n");
}

export async function buildStepPrompt(options: {
  spec: string;
  planText: string;
  step: PlanStep;
  worktree: string;
  filter?: StepFileFilter;
  /** Outlines of the files the step's files use and are used by (related-outlines.ts). */
  related?: string;
}): Promise<string> {
  const files = await stepFiles(options.worktree, options.step, options.filter);
  return loadPrompt("exec-step", {
    spec: options.spec.trim(),
    plan: options.planText.replace(/^---\n[^]*?\n---\n/, "").trim(),
    stepId: options.step.id,
    step: describeStep(options.step),
    files: options.related ? `${files}\n\n${options.related}` : files,
  });
}

/** The failing part of a validation, for the model: the first failing command and its output. */
export function describeFailure(validation: ValidationRecord): string {
  const failed = failedRun(validation);
  if (!failed) return "(no command failed)";
  if (failed.plugin) {
    const status = failed.timedOut ? "timed out" : "failed";
    return `Validator ${failed.command} (plugin ${failed.plugin}) ${status}:\n${fence(failed.output)}\n${failed.output}\n${fence(failed.output)}`;
  }
  const status = failed.timedOut ? "timed out" : `exit code ${failed.exitCode}`;
  return `$ ${failed.command}\n(${status})\n${fence(failed.output)}\n${failed.output}\n${fence(failed.output)}`;
}

export function repairPrompt(
  validation: ValidationRecord,
  attempt: number,
  attempts: number,
): string {
  return loadPrompt("exec-repair", {
    attempt: String(attempt),
    attempts: String(attempts),
    failure: describeFailure(validation),
  });
}
