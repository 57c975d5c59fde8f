/**
 * `git spe run "request" | -f USER-SPEC.md`: spec, plan, a review gate (the plan is shown and a
 * person says go on; --yes or no terminal skips the question), then exec.
 */
import type { ExecSummary } from "./exec.ts";
import { exec } from "./exec.ts";
import type { CommandContext } from "./command-context.ts";
import { plan, reportPlan } from "./plan.ts";
import { reportSpec, spec } from "./spec.ts";
import type { MergeRecord } from "../workflow/execute/run-state.ts";

export interface RunCommandOptions {
  request?: string;
  file?: string;
  merge?: MergeRecord["mode"];
  maxCost?: number;
}

export interface RunCommandResult {
  id: string;
  /** False when a person stopped at the review gate. */
  executed: boolean;
  exec: ExecSummary | null;
}

export async function run(
  ctx: CommandContext,
  options: RunCommandOptions,
): Promise<RunCommandResult> {
  const quiet = { ...ctx, log: { ...ctx.log, json: () => undefined } };
  const specResult = await spec(quiet, {
    ...(options.request !== undefined ? { request: options.request } : {}),
    ...(options.file !== undefined ? { file: options.file } : {}),
  });
  reportSpec(quiet, specResult, false);
  const planResult = await plan(quiet, { id: specResult.id });
  // For review: the plan without its front matter (base and cited blobs are for git spe).
  reportPlan(
    { ...quiet, log: { ...quiet.log, result: (text: string) => ctx.log.info(text) } },
    { ...planResult, markdown: planResult.markdown.replace(/^---\n[\s\S]*?\n---\n+/, "") },
    false,
  );
  if (ctx.confirm && !(await ctx.confirm(`Run this plan of ${planResult.id} now?`))) {
    ctx.log.info(`Not run. When you are ready: git spe exec ${planResult.id}`);
    return { id: planResult.id, executed: false, exec: null };
  }
  const summary = (await exec(quiet, {
    id: planResult.id,
    ...(options.merge ? { merge: options.merge } : {}),
    ...(options.maxCost !== undefined ? { maxCost: options.maxCost } : {}),
  })) as ExecSummary;
  return { id: planResult.id, executed: true, exec: summary };
}
