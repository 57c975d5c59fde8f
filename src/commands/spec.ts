/** `git spe spec "request"` / `git spe spec -f USER-SPEC.md`. */
import fs from "node:fs/promises";
import path from "node:path";
import { usageError } from "../errors.ts";
import type { SelectorOptions } from "../context/select.ts";
import { formatUsage } from "../workflow/model-call.ts";
import { runSpecPhase, type SpecPhaseResult } from "../workflow/spec.ts";
import type { CommandContext } from "./command-context.ts";
import { openPhaseEnvironment } from "./phase-env.ts";

export interface SpecCommandOptions {
  request?: string;
  /** -f: read the request from this file (relative to the current directory). */
  file?: string;
  id?: string;
  selectors?: SelectorOptions;
}

export async function readRequest(
  cwd: string,
  options: { request?: string; file?: string },
): Promise<string> {
  if (options.request !== undefined && options.file !== undefined) {
    throw usageError("give the request either as an argument or with -f FILE, not both");
  }
  if (options.file !== undefined) {
    try {
      return await fs.readFile(path.resolve(cwd, options.file), "utf8");
    } catch (error) {
      throw usageError(
        `cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  if (options.request === undefined) {
    throw usageError('no request: git spe spec "what you want", or git spe spec -f USER-SPEC.md');
  }
  return options.request;
}

export async function spec(
  ctx: CommandContext,
  options: SpecCommandOptions,
): Promise<SpecPhaseResult> {
  const request = await readRequest(ctx.cwd, options);
  const pe = await openPhaseEnvironment(ctx);
  return runSpecPhase(pe, {
    request,
    ...(options.id ? { id: options.id } : {}),
    ...(options.selectors ? { selectors: options.selectors } : {}),
  });
}

/** Reports a spec phase; `next` adds the "what to do next" line (not inside git spe run). */
export function reportSpec(ctx: CommandContext, result: SpecPhaseResult, next = true): void {
  ctx.log.json(result);
  for (const q of result.questions) ctx.log.info(`  ? ${q.question}\n    → ${q.answer} (${q.how})`);
  ctx.log.success(`spec ${result.id}: "${result.title}" → ${result.location}`);
  ctx.log.info(`  ${formatUsage(result.usage)}`);
  if (next) {
    ctx.log.info(
      `Next: review AI-SPEC.md (git spe show ${result.id}), then git spe plan ${result.id}`,
    );
  }
}
