/** The rows after the steps: final validation, drift, the run record, cleanup. */
import fs from "node:fs/promises";
import { workFailed } from "../../errors.ts";
import { deleteRef, readRef } from "../../git/refs.ts";
import { removeScratchWorktree } from "../../git/worktree.ts";
import { planFiles } from "../../plan/schema.ts";
import { parseState, stateText, updateState } from "../state.ts";
import { recordPassed } from "./record-passed.ts";
import type { ExecContext } from "./context.ts";
import { computeDrift, formatDrift } from "./drift.ts";
import { failureHints } from "./hints.ts";
import { failedRun, type RunState } from "./run-state.ts";
import { validateWorktree } from "./step.ts";
import { runStatus, validatorsFor } from "./validation.ts";
import { runValidate } from "./validation-changes.ts";
import { listProjectValidators } from "../../plugins/validators.ts";
import { laneRoot, laneWorktrees } from "./parallel.ts";

export async function finalValidation(c: ExecContext): Promise<"done" | "skipped"> {
  const commands = validatorsFor(c.plan.validate, runValidate(c));
  if (listProjectValidators(c.pe.ws.config, commands).length === 0) return "skipped";
  const validation = await validateWorktree(c, commands, "final validation", "final");
  // Plugin validators that skipped themselves: nothing was validated.
  if (validation.runs.length === 0) return "skipped";
  validation.tree = await c.worktreeGit().text(["rev-parse", "HEAD^{tree}"]);
  c.state.finalValidation = validation;
  await c.save();
  if (!validation.passed) {
    const run = failedRun(validation);
    throw workFailed(`final validation failed: ${run?.command} ${runStatus(run)}`, {
      hint: failureHints(c.state),
    });
  }
  await recordPassed(c, validation.tree, validation, "final");
  c.pe.log.success(`final validation passed: ${validation.runs.map((r) => r.command).join(", ")}`);
  return "done";
}

export async function driftRow(c: ExecContext): Promise<void> {
  c.state.drift = computeDrift(
    c.plan.steps.map((step, i) => ({
      id: step.id,
      planned: step.files.map((f) => f.path),
      touched: c.state.steps[i]?.touched ?? [],
    })),
  );
  for (const line of formatDrift(c.state.drift)) c.pe.log.info(line);
  if (!c.state.drift.clean)
    c.pe.log.info(
      `  (planned files: ${planFiles(c.plan).length}; see git spe drift ${c.state.specId})`,
    );
}

/** The run as it is kept with the spec: everything but the plan text. */
export function runRecord(state: RunState): string {
  const { planText: _plan, ...record } = state;
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** How a run that got past its merge row ends: merged, or done (the work stays on its branch). */
function finalStatus(state: RunState): "merged" | "done" {
  const result = state.mergeResult?.result;
  return result !== undefined && result !== "skipped" && result !== "blocked" ? "merged" : "done";
}

/**
 * The run record says how the run ends; the run itself stays "running" until cleanup is done,
 * so a run stopped during cleanup is unfinished: --resume (or abort) completes the cleanup.
 */
export async function recordRow(c: ExecContext): Promise<void> {
  const { state, pe } = c;
  const status = finalStatus(state);
  const merged = status === "merged";
  const commits = [
    ...state.steps.flatMap((s) => (s.commit ? [s.commit] : [])),
    ...(merged && state.mergeResult?.commit ? [state.mergeResult.commit] : []),
  ];
  await pe.store.writeRun(state.specId, state.runId, runRecord({ ...state, status }), commits);
  const specState = parseState(await pe.store.read(state.specId, "state.json"));
  if (specState) {
    const usage = {
      model:
        state.steps.flatMap((s) => s.attempts).findLast((a) => a.executor)?.executor?.model ?? "",
      ...state.usage,
      costUsd: state.costUsd,
      durationMs: state.steps
        .flatMap((s) => s.attempts)
        .reduce((sum, a) => sum + (a.executor?.durationMs ?? 0), 0),
    };
    const next = updateState(
      specState,
      {
        phase: merged ? "done" : "exec",
        status: merged ? "merged" : "executed",
        usage: { exec: usage },
      },
      pe.now(),
    );
    await pe.store.write(state.specId, { "state.json": stateText(next) });
  }
}

export async function cleanupRow(c: ExecContext): Promise<void> {
  const { state, pe } = c;
  if (state.keepWorktree) {
    pe.log.info(`exec: the worktree is kept at ${state.worktree}`);
    state.status = finalStatus(state);
    return;
  }
  // Lanes first (each landed lane is gone already; a stray one is removed through git).
  for (const lane of await laneWorktrees(pe.ws.paths.commonDir, state.runId))
    await removeScratchWorktree(pe.ws.git, lane);
  await fs.rm(laneRoot(pe.ws.paths.commonDir, state.runId), { recursive: true, force: true });
  await removeScratchWorktree(pe.ws.git, state.worktree);
  // After a fast-forward or merge the branch's commits are on the target; after squash or
  // without a merge the branch is the only place the step commits live, so it stays.
  const result = state.mergeResult?.result;
  const ref = `refs/heads/${state.branch}`;
  const tip = await readRef(pe.ws.git, ref);
  if ((result === "fast-forward" || result === "merged") && tip)
    await deleteRef(pe.ws.git, ref, tip);
  state.status = finalStatus(state);
}
