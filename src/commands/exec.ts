/** `git spe exec [ID]`, `git spe abort ID`, `git spe drift [ID]`. */
import { usageError } from "../errors.ts";
import { abortRun, type AbortResult } from "../workflow/execute/abort.ts";
import { computeDrift, formatDrift, type DriftReport } from "../workflow/execute/drift.ts";
import { dryRunExec, formatDryRun, type DryRun } from "../workflow/execute/dry-run.ts";
import { runExec, type ExecOptions } from "../workflow/execute/exec.ts";
import { listRuns, type RunState, type ValidationGate } from "../workflow/execute/run-state.ts";
import { formatValidationGate, validationGateOf } from "../workflow/execute/validation-gate.ts";
import { parsePlan } from "../plan/parse.ts";
import { formatUsage } from "../workflow/model-call.ts";
import { resolveSpec } from "../workflow/plan.ts";
import type { CommandContext } from "./command-context.ts";
import { openPhaseEnvironment } from "./phase-env.ts";

export interface ExecSummary {
  runId: string;
  specId: string;
  status: RunState["status"];
  branch: string;
  worktree: string;
  steps: { id: string; status: string; commit: string | null; attempts: number }[];
  merge: RunState["mergeResult"] | null;
  drift: DriftReport | null;
  validationChanges: ValidationGate | null;
  usage: RunState["usage"];
  costUsd: number | null;
}

export function summarizeRun(state: RunState): ExecSummary {
  return {
    runId: state.runId,
    specId: state.specId,
    status: state.status,
    branch: state.branch,
    worktree: state.worktree,
    steps: state.steps.map((s) => ({
      id: s.id,
      status: s.status,
      commit: s.commit ?? null,
      attempts: s.attempts.length,
    })),
    merge: state.mergeResult ?? null,
    drift: state.drift ?? null,
    validationChanges: state.validationGate ?? null,
    usage: state.usage,
    costUsd: state.costUsd,
  };
}

export async function exec(
  ctx: CommandContext,
  options: ExecOptions,
): Promise<ExecSummary | DryRun> {
  const pe = await openPhaseEnvironment(ctx);
  if (options.dryRun) {
    const plan = await dryRunExec(pe, options);
    ctx.log.result(formatDryRun(plan, options.force ?? false).join("\n"));
    return plan;
  }
  const state = await runExec(pe, options);
  const summary = summarizeRun(state);
  const model =
    state.steps.flatMap((s) => s.attempts).findLast((a) => a.executor)?.executor?.model ??
    "executor";
  ctx.log.info(
    `exec: ${state.status} — ${formatUsage({ model, ...state.usage, costUsd: state.costUsd, durationMs: Date.parse(state.updatedAt) - Date.parse(state.startedAt) })}`,
  );
  return summary;
}

export async function abort(ctx: CommandContext, id: string): Promise<AbortResult> {
  return abortRun(await openPhaseEnvironment(ctx), id);
}

/** The latest run of a spec (any status). */
export async function latestRun(ctx: CommandContext, id: string | undefined): Promise<RunState> {
  const pe = await openPhaseEnvironment(ctx);
  const specId = await resolveSpec(pe, id);
  const run = (await listRuns(pe.ws.paths.commonDir, specId))[0];
  if (!run) throw usageError(`spec ${specId} has no run yet`, { hint: `git spe exec ${specId}` });
  return run;
}

/** A run's drift: recorded when the run got that far, otherwise from the steps committed so far. */
export function driftOf(run: RunState): DriftReport {
  if (run.drift) return run.drift;
  const plan = parsePlan(run.planText).plan;
  return computeDrift(
    plan.steps.map((s, i) => ({
      id: s.id,
      planned: s.files.map((f) => f.path),
      touched: run.steps[i]?.touched ?? [],
    })),
  );
}

export async function drift(
  ctx: CommandContext,
  id: string | undefined,
): Promise<{
  specId: string;
  runId: string;
  drift: DriftReport;
  validationChanges: ValidationGate;
  lines: string[];
}> {
  const run = await latestRun(ctx, id);
  const report = driftOf(run);
  return {
    specId: run.specId,
    runId: run.runId,
    drift: report,
    validationChanges: validationGateOf(run),
    lines: [...formatDrift(report), ...formatValidationGate(run)],
  };
}
