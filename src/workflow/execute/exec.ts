/**
 * `git spe exec`: a run from its table (see rows.ts), under a per-spec lock. A run that stops
 * (a failure, a block, an interrupt, a kill) keeps its worktree, branch and state; `--resume`
 * runs the same table again from the first row not done; `git spe abort` removes it.
 */
import {
  GitError,
  ProviderError,
  SpeError,
  usageError,
  workFailed,
  isAbortError,
} from "../../errors.ts";
import { parsePlan, PlanParseError } from "../../plan/parse.ts";
import { acquireFileLock } from "../../util/file-lock.ts";
import type { PhaseEnvironment } from "../phase-environment.ts";
import { resolveSpec } from "../plan.ts";
import { branchRef, type ExecContext } from "./context.ts";
import { cleanupRow, driftRow, finalValidation, recordRow } from "./finish.ts";
import { failureHints } from "./hints.ts";
import { mergeBack } from "./merge.ts";
import { prepareRun, type ExecOptions } from "./prepare.ts";
import { addMissingRows, runRows, stepRowName, type Row } from "./rows.ts";
import { validationGateRow } from "./validation-gate.ts";
import { baselineRow } from "./baseline.ts";
import { isUnfinished, listRuns, type RunState } from "./run-state.ts";
import { savedContext } from "./exec-context.ts";
import { runStep } from "./step.ts";
import { runStepsInLanes } from "./parallel.ts";
import { specLockPath } from "./spec-locks.ts";
import { addScratchWorktree } from "../../git/worktree.ts";
import { bootstrapWorktree } from "./bootstrap.ts";
import { execAfterEvent, runEvent, runHookOf } from "./plugin-hooks.ts";
import { readRef } from "../../git/refs.ts";
import fs from "node:fs/promises";
import { openSandbox, requireSandbox } from "../../sandbox/open-sandbox.ts";
import type { Sandbox } from "../../sandbox/sandbox.ts";

export type { ExecOptions };

export { specLockPath };

function rowsFor(c: ExecContext): Row[] {
  // Under --parallel the first step row not done runs every step (parallel.ts marks their rows).
  let lanes: Promise<void> | undefined;
  const inLanes = (c.state.parallel ?? 1) > 1;
  return [
    {
      name: "worktree",
      run: async (ctx) => {
        if (
          await fs.stat(ctx.state.worktree).then(
            () => true,
            () => false,
          )
        )
          return;
        // Interrupted while git created it: the worktree is gone, the run's branch is not.
        const existing = (await readRef(ctx.pe.ws.git, branchRef(ctx.state))) !== undefined;
        await addScratchWorktree(ctx.pe.ws.git, {
          path: ctx.state.worktree,
          branch: ctx.state.branch,
          base: ctx.state.base,
          existing,
        });
        ctx.pe.log.info(
          `exec: worktree ${ctx.state.worktree} on ${ctx.state.branch} from ${ctx.state.base.slice(0, 12)}`,
        );
      },
    },
    { name: "bootstrap", run: bootstrapWorktree },
    { name: "baseline", run: baselineRow },
    ...c.plan.steps.map((step, index): Row => ({
      name: stepRowName(step.id),
      run: (ctx) => (inLanes ? (lanes ??= runStepsInLanes(ctx)) : runStep(ctx, index)),
    })),
    { name: "final validation", run: finalValidation },
    { name: "drift", run: driftRow },
    { name: "validation changes", run: validationGateRow },
    {
      name: "merge",
      run: async (ctx) => {
        const tip = (await readRef(ctx.pe.ws.git, branchRef(ctx.state))) ?? ctx.state.base;
        const { merge: mode, target } = ctx.state;
        await runHookOf(ctx, "merge:before", { ...runEvent(ctx), mode, target, tip });
        await mergeBack(ctx);
        if (ctx.state.mergeResult)
          await runHookOf(ctx, "merge:after", { ...runEvent(ctx), result: ctx.state.mergeResult });
      },
    },
    { name: "record", run: recordRow },
    { name: "cleanup", run: cleanupRow },
  ];
}

/** A resumed run validates with the commands it started with, whatever the config says now. */
function warnIfValidateChanged(pe: PhaseEnvironment, state: RunState): void {
  const now = pe.ws.config.validate;
  if (state.validate && JSON.stringify(state.validate) !== JSON.stringify(now))
    pe.log.warn(
      `exec: validate changed since run ${state.runId} started; it keeps validating with ${state.validate.join(", ") || "(none)"}`,
    );
}

async function startOrResume(
  pe: PhaseEnvironment,
  specId: string,
  options: ExecOptions,
): Promise<RunState> {
  const unfinished = (await listRuns(pe.ws.paths.commonDir, specId)).find(isUnfinished);
  if (options.resume) {
    if (!unfinished)
      throw usageError(`spec ${specId} has no unfinished run to resume`, {
        hint: `Start one: git spe exec ${specId}`,
      });
    Object.assign(unfinished, { status: "running", message: undefined, pid: process.pid });
    if (options.maxCost !== undefined) unfinished.maxCostUsd = options.maxCost;
    if (options.parallel !== undefined && options.parallel !== (unfinished.parallel ?? 1))
      throw usageError(
        `run ${unfinished.runId} runs ${unfinished.parallel ?? 1} step(s) at once; a resumed run keeps that`,
        { hint: `Resume without --parallel: git spe exec ${specId} --resume` },
      );
    unfinished.acceptValidationChanges = options.acceptValidationChanges === true;
    try {
      addMissingRows(parsePlan(unfinished.planText).plan, unfinished.rows);
    } catch (error) {
      // A saved plan this version refuses: savedContext says so, with the way out.
      if (!(error instanceof PlanParseError)) throw error;
    }
    warnIfValidateChanged(pe, unfinished);
    for (const row of unfinished.rows)
      if (row.status === "failed" || row.status === "running") row.status = "pending";
    pe.log.info(`exec: resuming run ${unfinished.runId} of ${specId}`);
    return unfinished;
  }
  if (options.acceptValidationChanges)
    throw usageError(
      "--accept-validation-changes accepts the changes a stopped run showed you; use it with --resume",
      { hint: `Run first: git spe exec ${specId}` },
    );
  if (unfinished) {
    throw usageError(
      `spec ${specId} has an unfinished run (${unfinished.runId}, ${unfinished.status})`,
      {
        hint: [
          `Resume it: git spe exec ${specId} --resume`,
          `Or abort it: git spe abort ${specId}`,
        ],
      },
    );
  }
  return prepareRun(pe, specId, options);
}

export async function runExec(pe: PhaseEnvironment, options: ExecOptions): Promise<RunState> {
  const specId = await resolveSpec(pe, options.id);
  const lock = await acquireFileLock(specLockPath(pe.ws.paths.commonDir, specId), {
    timeoutMs: 0,
    info: `exec ${specId}`,
    busy: (holder) =>
      workFailed(`spec ${specId} is already being executed (git spe, pid ${holder.pid})`, {
        hint: "Wait for it to finish, or stop it (Ctrl-C) first.",
      }),
  });
  let sandbox: Sandbox | undefined;
  try {
    // No sandbox, no run: refused before a run, branch or worktree exists.
    const probe = await requireSandbox(pe.ws, pe.env, pe.log);
    const state = await startOrResume(pe, specId, options);
    const spec = (await pe.store.read(specId, "AI-SPEC.md")) ?? "";
    const open = (worktree: string) => openSandbox({ ws: pe.ws, env: pe.env, worktree, probe });
    sandbox = await open(state.worktree);
    pe.log.debug(`exec: sandbox: ${sandbox.describe()}`);
    const c = savedContext({ pe, state, spec, sandbox, openSandbox: open });
    // A new run needs its executor (an API key, an agent CLI) before anything of it exists: a
    // missing key is an exit-3 error that leaves no run, branch or worktree to abort.
    if (!options.resume) await c.executor();
    await c.save();
    try {
      await runHookOf(c, "exec:before", {
        ...runEvent(c),
        target: state.target,
        merge: state.merge,
        resumed: options.resume === true,
        plan: c.plan,
      });
      await runRows(c, rowsFor(c));
    } catch (error) {
      if (isAbortError(error, pe.signal)) {
        state.status = "interrupted";
        state.message = "interrupted";
        await c.save();
        pe.log.info(
          `exec: interrupted; the run is saved. Continue: git spe exec ${specId} --resume   Drop: git spe abort ${specId}`,
        );
        throw error;
      }
      if (state.status === "running") state.status = "failed";
      state.message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      await c.save();
      // Expected failures get the inspect/resume/abort commands; a bug stays a bug.
      if (error instanceof SpeError && error.hints.length === 0) {
        throw new SpeError(error.message, error.exitCode, {
          hint: failureHints(state),
          cause: error,
        });
      }
      // A model API that failed past its retries is one line, like a git failure.
      if (error instanceof GitError || error instanceof ProviderError)
        throw workFailed(error.message, { hint: failureHints(state), cause: error });
      throw error;
    }
    // The run is over (merged or done); a failing exec:after reports, there is nothing to resume.
    await runHookOf(c, "exec:after", execAfterEvent(c));
    return state;
  } finally {
    await sandbox?.dispose();
    await lock.release();
  }
}
