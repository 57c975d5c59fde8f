/**
 * `exec --parallel N`: up to N ready steps at once, each in its own lane — a scratch worktree,
 * detached at the run branch's tip when the step's dependencies had landed, with its own
 * sandbox, executor session and validation (step.ts, unchanged). A step is ready when every
 * step it depends on (`dependsOn`, by default the step before it) is on the run's branch.
 *
 * Finished steps land on the run's branch in plan order: a step whose lane started from the
 * current tip fast-forwards it; otherwise `git merge-tree` checks the merge and a merge commit
 * ("Land S3: …", trailers Spe-Run and Spe-Landed, no Spe-Spec) joins the step's commit to the
 * tip. So every Spe-Spec commit keeps the tree its step validated (what the pre-push gate asks),
 * and the combination is validated by final validation as always. A conflict keeps the lane's
 * commit as an attempt and runs the step again from the tip (at most once per step of the plan:
 * each re-run starts from a later tip). The run's own worktree follows the branch (reset to each
 * landed commit); final validation, drift, merge and the record run there as without lanes.
 *
 * After a step fails no new step starts; the steps in flight finish and land, and the run stops
 * with the first failure. An error of the scheduler itself, or an interrupt, stops every lane
 * and waits for them. A step lands only once its step:after hook passed (`lane.afterDone`). The
 * state says, per step, which lane it ran in and from which tip, so `--resume` validates what a
 * lane left, runs a committed step's hook again if it had failed, lands a step that committed
 * but had not landed (or finds that it had: its commit is on the branch), and goes on.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { workFailed } from "../../errors.ts";
import { readRef, snapshotRefs, updateRef } from "../../git/refs.ts";
import { snapshotWorktree } from "../../git/commit.ts";
import {
  addScratchWorktree,
  checkOutScratchWorktree,
  noHooks,
  removeScratchWorktree,
} from "../../git/worktree.ts";
import { stepDependencies } from "../../plan/schema.ts";
import { serialQueue } from "../../util/serial.ts";
import { bootstrapWorktree } from "./bootstrap.ts";
import { branchRef, type ExecContext } from "./context.ts";
import { failureHints } from "./hints.ts";
import { stepRowName } from "./rows.ts";
import type { StepRecord } from "./run-state.ts";
import { runStep } from "./step.ts";
import { laneContext } from "./exec-context.ts";
import { landStep, type WorktreeQueue } from "./landing.ts";

export const laneRoot = (commonDir: string, runId: string) =>
  path.join(commonDir, "spe", "lanes", runId);

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

/** What every lane of a run shares. */
interface Lanes {
  /**
   * One `git worktree add/remove` at a time: git reads every worktree's admin files when it adds
   * one, and fails on one being made at that moment ("failed to read .git/worktrees/S1/commondir").
   */
  worktrees: WorktreeQueue;
  /** Stops every lane: the run's signal, or the scheduler's own when it fails. */
  signal: AbortSignal;
}

export async function runStepsInLanes(c: ExecContext): Promise<void> {
  const { state, plan, pe } = c;
  const steps = plan.steps;
  const indexOf = new Map(steps.map((s, i) => [s.id, i]));
  const deps = steps.map((_, i) => stepDependencies(plan, i).map((id) => indexOf.get(id) ?? -1));
  const record = (i: number) => state.steps[i] as StepRecord;
  const landed = (i: number) => record(i).status === "committed" && record(i).lane === undefined;
  const waitingToLand = (i: number) =>
    record(i).status === "committed" && record(i).lane?.afterDone === true;
  const row = (i: number) => state.rows.find((r) => r.name === stepRowName(steps[i]!.id));
  const limit = Math.max(1, state.parallel ?? 1);

  await resetRunWorktree(c);

  const inFlight = new Map<number, Promise<void>>();
  let failure: unknown;
  const settled: number[] = [];
  // Lanes stop with the run (Ctrl-C) or when the scheduler itself fails.
  const stop = new AbortController();
  const lanes: Lanes = {
    worktrees: serialQueue(),
    signal: AbortSignal.any([pe.signal, stop.signal]),
  };

  const launch = (i: number) => {
    const rowRecord = row(i);
    if (rowRecord) Object.assign(rowRecord, { status: "running", at: pe.now().toISOString() });
    const task = runInLane(c, i, lanes).then(
      () => void settled.push(i),
      async (error: unknown) => {
        failure ??= error;
        const others = [...inFlight.keys()].filter((j) => j !== i && !settled.includes(j));
        if (others.length > 0 && !pe.signal.aborted)
          pe.log.warn(
            `${steps[i]!.id} failed; no new step starts, waiting for ${others.map((j) => steps[j]!.id).join(", ")}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
          );
        if (rowRecord) {
          rowRecord.status = "failed";
          rowRecord.note = error instanceof Error ? error.message.split("\n")[0] : String(error);
        }
        settled.push(i);
      },
    );
    inFlight.set(i, task);
  };

  try {
    for (;;) {
      if (await schedule()) break;
      await Promise.race(inFlight.values());
      for (const i of settled.splice(0)) inFlight.delete(i);
      await c.save();
    }
  } catch (error) {
    failure ??= error;
    stop.abort();
    await Promise.allSettled(inFlight.values());
    await c.save();
  }
  if (failure !== undefined) throw failure;
  pe.signal.throwIfAborted();
  const stuck = steps.findIndex((_, i) => !landed(i));
  if (stuck !== -1)
    throw workFailed(
      `${steps[stuck]!.id} cannot start: it depends on ${stepDependencies(plan, stuck).join(", ")}, which did not land`,
      { hint: failureHints(state) },
    );

  /** Lands what can land, starts what can start; true when nothing is left in flight. */
  async function schedule(): Promise<boolean> {
    // Land what finished, in plan order; a step that failed or will not run this time does not
    // hold back the ones after it once nothing else can start.
    for (let i = 0; i < steps.length; i++) {
      if (landed(i)) continue;
      if (waitingToLand(i)) {
        // A conflict makes the step pending again: it starts below from the tip, and nothing
        // after it lands first.
        if ((await landStep(c, i, lanes.worktrees)) === "conflict") break;
        const rowRecord = row(i);
        if (rowRecord) Object.assign(rowRecord, { status: "done", at: pe.now().toISOString() });
        await c.save();
        continue;
      }
      if (failure !== undefined && !inFlight.has(i)) continue;
      break;
    }
    if (failure === undefined && !pe.signal.aborted) {
      for (let i = 0; i < steps.length && inFlight.size < limit; i++) {
        // A committed step whose step:after has not passed runs again (the hook, then it lands).
        if (inFlight.has(i) || landed(i) || waitingToLand(i)) continue;
        if (deps[i]!.every((d) => d >= 0 && landed(d))) launch(i);
      }
    }
    return inFlight.size === 0;
  }
}

/** The step in its lane: the lane's worktree (made, or found again), its sandbox, runStep. */
async function runInLane(c: ExecContext, index: number, lanes: Lanes): Promise<void> {
  const { state, pe } = c;
  const { worktrees, signal } = lanes;
  const step = c.plan.steps[index]!;
  const record = state.steps[index] as StepRecord;
  const lanePath = path.join(laneRoot(pe.ws.paths.commonDir, state.runId), step.id);
  if (!record.lane?.ready || !(await exists(record.lane.worktree))) {
    // A lane half made, or gone, is made again: from the tip, or for a committed step at its
    // commit (its base kept: landing needs it).
    await worktrees(() => removeScratchWorktree(pe.ws.git, lanePath));
    const committed = record.status === "committed" && record.commit !== undefined;
    const tip = (await readRef(pe.ws.git, branchRef(state))) ?? state.base;
    const at = committed ? record.commit! : tip;
    record.lane = { worktree: lanePath, base: committed && record.lane ? record.lane.base : tip };
    await c.save();
    await fs.mkdir(path.dirname(lanePath), { recursive: true });
    await worktrees(() =>
      addScratchWorktree(pe.ws.git, { path: lanePath, base: at, noCheckout: true }),
    );
    // The checkout (filters and all) outside the one-at-a-time part.
    await checkOutScratchWorktree(pe.ws.git, lanePath);
    pe.log.info(`${step.id}: lane ${lanePath} from ${at.slice(0, 12)}`);
    const sandbox = await c.openSandbox(lanePath);
    try {
      await bootstrapWorktree(
        laneContext(c, { worktree: lanePath, sandbox, stepId: step.id, signal }),
      );
    } finally {
      await sandbox.dispose();
    }
    record.lane.ready = true;
    await c.save();
  }
  const sandbox = await c.openSandbox(record.lane.worktree);
  try {
    const worktree = record.lane.worktree;
    await runStep(laneContext(c, { worktree, sandbox, stepId: step.id, signal }), index);
    // Committed and its step:after passed: it may land.
    if (record.status === "committed" && record.lane) {
      record.lane.afterDone = true;
      await c.save();
    }
  } finally {
    pe.log.progressOf?.(step.id, undefined);
    await sandbox.dispose();
  }
}

/**
 * The run's worktree back on its branch's tip (only landing writes there under --parallel; a
 * stop in the middle of one leaves it half-updated). Changes someone made there by hand are
 * kept first, as a commit on refs/spe/attempts/<run>/run-worktree/<n>. Untracked files (a
 * bootstrap's) stay.
 */
async function resetRunWorktree(c: ExecContext): Promise<void> {
  const git = c.pe.ws.git.at(c.state.worktree, { isolate: true, untrusted: true });
  const { stdout } = await git.run([
    "--no-optional-locks",
    "status",
    "--porcelain",
    "--untracked-files=no",
  ]);
  if (stdout.trim() !== "") {
    const kept = await snapshotWorktree(
      git,
      path.join(c.pe.ws.paths.commonDir, "spe", "tmp"),
      `git spe: changes left in the run's worktree of ${c.state.runId}\n`,
    );
    const base = `refs/spe/attempts/${c.state.runId}/run-worktree`;
    const n = (await snapshotRefs(c.pe.ws.git, [base])).size + 1;
    await updateRef(c.pe.ws.git, `${base}/${n}`, kept, undefined, "git spe: keep changes");
    c.pe.log.warn(
      `exec: the run's worktree had changes (steps run in lanes under --parallel); kept as ${base}/${n}, then reset`,
    );
  }
  await git.run([...noHooks, "reset", "--quiet", "--hard", "HEAD"]);
}

/** Lane worktrees a run left (abort removes them). */
export async function laneWorktrees(commonDir: string, runId: string): Promise<string[]> {
  const root = laneRoot(commonDir, runId);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  return names.map((name) => path.join(root, name));
}
