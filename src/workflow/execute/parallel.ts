/**
 * `exec --parallel N`: up to N ready steps at once, each in its own lane — a scratch worktree,
 * detached at the run branch's tip when the step's dependencies had landed, with its own
 * sandbox, executor session and validation (step.ts, unchanged). A step is ready when every
 * step it depends on (`dependsOn`, by default the step before it) is on the run's branch.
 *
 * Finished steps land on the run's branch in plan order: a step whose lane started from the
 * current tip fast-forwards it; otherwise `git merge-tree` merges its commit onto the tip and the
 * result is committed with the step's message. A conflict keeps the lane's commit as an attempt
 * and runs the step again from the tip it will land on; as every step before it in plan order
 * has landed by then, nothing can land before it and that re-run cannot conflict (if the branch
 * moved anyway, by hand, the step fails). The run's own worktree follows the branch (reset to
 * each landed commit); final validation, drift, merge and the record run there as without lanes.
 *
 * After a failure no new step starts; the steps in flight finish and land, and the run stops
 * with the first failure. An interrupt stops every lane. The state says, per step, which lane it
 * ran in and from which tip, so `--resume` validates what a lane left, lands a step that
 * committed but had not landed (or finds that it had: its Spe-Run/Spe-Step trailers on the
 * branch), and goes on.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { workFailed } from "../../errors.ts";
import { checkMerge } from "../../git/merge-tree.ts";
import { readRef, updateRef } from "../../git/refs.ts";
import {
  addScratchWorktree,
  checkOutScratchWorktree,
  noHooks,
  removeScratchWorktree,
} from "../../git/worktree.ts";
import { stepDependencies } from "../../plan/schema.ts";
import type { Sandbox } from "../../sandbox/sandbox.ts";
import { bootstrapWorktree } from "./bootstrap.ts";
import { branchRef, type ExecContext } from "./context.ts";
import { failureHints } from "./hints.ts";
import { stepRowName } from "./rows.ts";
import type { StepRecord } from "./run-state.ts";
import { runStep } from "./step.ts";

export const laneRoot = (commonDir: string, runId: string) =>
  path.join(commonDir, "spe", "lanes", runId);

/** What makes a lane context (exec.ts's contextFor, bound to the run). */
export type LaneContextFactory = (
  c: ExecContext,
  worktree: string,
  sandbox: Sandbox,
  stepId: string,
) => ExecContext;

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

type Landing = "landed" | "conflict";

/**
 * One `git worktree add/remove` at a time: git reads every worktree's admin files when it adds
 * one, and fails on one being made at that moment ("failed to read .git/worktrees/S1/commondir").
 */
function serially(): <T>(fn: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const next = last.then(fn);
    last = next.catch(() => undefined);
    return next;
  };
}

export async function runStepsInLanes(
  c: ExecContext,
  laneContext: LaneContextFactory,
): Promise<void> {
  const { state, plan, pe } = c;
  const steps = plan.steps;
  const indexOf = new Map(steps.map((s, i) => [s.id, i]));
  const deps = steps.map((_, i) => stepDependencies(plan, i).map((id) => indexOf.get(id) ?? -1));
  const record = (i: number) => state.steps[i] as StepRecord;
  const landed = (i: number) => record(i).status === "committed" && record(i).lane === undefined;
  const waitingToLand = (i: number) =>
    record(i).status === "committed" && record(i).lane !== undefined;
  const row = (i: number) => state.rows.find((r) => r.name === stepRowName(steps[i]!.id));
  const limit = Math.max(1, state.parallel ?? 1);

  await resetRunWorktree(c);

  const worktrees = serially();
  const inFlight = new Map<number, Promise<void>>();
  let failure: unknown;
  const settled: number[] = [];

  const launch = (i: number) => {
    const rowRecord = row(i);
    if (rowRecord) Object.assign(rowRecord, { status: "running", at: pe.now().toISOString() });
    const task = runInLane(c, i, laneContext, worktrees).then(
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

  for (;;) {
    // Land what finished, in plan order; a step that failed or will not run this time does not
    // hold back the ones after it once nothing else can start.
    for (let i = 0; i < steps.length; i++) {
      if (landed(i)) continue;
      if (waitingToLand(i)) {
        // A conflict makes the step pending again: it starts below from the tip, and nothing
        // after it lands first.
        if ((await landStep(c, i, worktrees)) === "conflict") break;
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
        const r = record(i);
        if (inFlight.has(i) || r.status === "committed") continue;
        if (deps[i]!.every((d) => d >= 0 && landed(d))) launch(i);
      }
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
    for (const i of settled.splice(0)) inFlight.delete(i);
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
}

/** The step in its lane: the lane's worktree (made, or found again), its sandbox, runStep. */
async function runInLane(
  c: ExecContext,
  index: number,
  laneContext: LaneContextFactory,
  worktrees: ReturnType<typeof serially>,
): Promise<void> {
  const { state, pe } = c;
  const step = c.plan.steps[index]!;
  const record = state.steps[index] as StepRecord;
  const lanePath = path.join(laneRoot(pe.ws.paths.commonDir, state.runId), step.id);
  if (!record.lane?.ready || !(await exists(record.lane.worktree))) {
    // A lane left without its directory (git was creating it) is made again from the tip.
    if (await exists(lanePath)) await worktrees(() => removeScratchWorktree(pe.ws.git, lanePath));
    const tip = (await readRef(pe.ws.git, branchRef(state))) ?? state.base;
    record.lane = { worktree: lanePath, base: tip };
    await c.save();
    await fs.mkdir(path.dirname(lanePath), { recursive: true });
    await worktrees(() =>
      addScratchWorktree(pe.ws.git, { path: lanePath, base: tip, noCheckout: true }),
    );
    // The checkout (filters and all) outside the one-at-a-time part.
    await checkOutScratchWorktree(pe.ws.git, lanePath);
    pe.log.info(`${step.id}: lane ${lanePath} from ${tip.slice(0, 12)}`);
    const sandbox = await c.openSandbox(lanePath);
    try {
      await bootstrapWorktree(laneContext(c, lanePath, sandbox, step.id));
    } finally {
      await sandbox.dispose();
    }
    record.lane.ready = true;
    await c.save();
  }
  const sandbox = await c.openSandbox(record.lane.worktree);
  try {
    await runStep(laneContext(c, record.lane.worktree, sandbox, step.id), index);
  } finally {
    pe.log.progressOf?.(step.id, undefined);
    await sandbox.dispose();
  }
}

/**
 * A committed step onto the run's branch: fast-forward when its lane started from the tip,
 * else the merge-tree result committed on the tip with the step's message. "conflict": the
 * step is pending again, its lane's commit kept under refs/spe/attempts/.
 */
async function landStep(
  c: ExecContext,
  index: number,
  worktrees: ReturnType<typeof serially>,
): Promise<Landing> {
  const { state, pe } = c;
  const record = state.steps[index] as StepRecord;
  const lane = record.lane!;
  const laneCommit = record.commit!;
  const git = pe.ws.git.at(pe.ws.paths.toplevel, { isolate: true });
  const ref = branchRef(state);
  const tip = (await readRef(git, ref)) ?? state.base;
  let landedAs = await findLanded(c, lane.base, tip, record.id);
  if (!landedAs) {
    if (tip === lane.base || tip === laneCommit) {
      landedAs = laneCommit;
    } else {
      const merge = await checkMerge(git, tip, laneCommit);
      if (!merge.clean) return conflict(c, index, tip, merge.conflicts, worktrees);
      const message = await git.text(["log", "-1", "--format=%B", laneCommit]);
      landedAs = await git.text(["commit-tree", merge.tree, "-p", tip, "-F", "-"], {
        input: `${message}\n`,
      });
    }
    // The run's worktree (HEAD on the branch) follows: the branch moves with it, checked.
    const runGit = pe.ws.git.at(state.worktree, { isolate: true, untrusted: true });
    await updateRef(git, ref, landedAs, tip, `git spe: land ${record.id}`);
    await runGit.run([...noHooks, "reset", "--quiet", "--hard", landedAs]);
  }
  record.commit = landedAs;
  delete record.lane;
  await c.save();
  pe.log.info(
    `${record.id}: landed on ${state.branch} as ${landedAs.slice(0, 12)}${landedAs === laneCommit ? "" : ` (merged onto ${tip.slice(0, 12)})`}`,
  );
  await worktrees(() => removeScratchWorktree(pe.ws.git, lane.worktree));
  return "landed";
}

/** The step's commit on the branch since its lane started (landed before the run stopped). */
async function findLanded(
  c: ExecContext,
  from: string,
  tip: string,
  stepId: string,
): Promise<string | undefined> {
  if (from === tip) return undefined;
  const format = "%H%x00%(trailers:key=Spe-Run,valueonly)%x00%(trailers:key=Spe-Step,valueonly)";
  const { stdout } = await c.pe.ws.git.run(["log", `--format=${format}%x01`, `${from}..${tip}`]);
  for (const entry of stdout.split("\x01")) {
    const [commit, run, step] = entry.split("\0").map((f) => f.trim());
    if (commit && run === c.state.runId && step === stepId) return commit;
  }
  return undefined;
}

async function conflict(
  c: ExecContext,
  index: number,
  tip: string,
  files: string[],
  worktrees: ReturnType<typeof serially>,
): Promise<Landing> {
  const { state, pe } = c;
  const record = state.steps[index] as StepRecord;
  const lane = record.lane!;
  const shown = files.slice(0, 5).join(", ") + (files.length > 5 ? ", …" : "");
  if (lane.base === tip || record.relanded) {
    record.status = "failed";
    await c.save();
    throw workFailed(
      `${record.id} conflicts with ${state.branch} (${shown}) although it started from its tip`,
      { hint: failureHints(state) },
    );
  }
  const n = record.attempts.length;
  const keep = `refs/spe/attempts/${state.runId}/${record.id}/${n}`;
  await updateRef(pe.ws.git, keep, record.commit!, undefined, `git spe: ${record.id} conflicted`);
  const last = record.attempts.at(-1);
  if (last) Object.assign(last, { ref: keep, error: `conflicted on landing: ${shown}` });
  pe.log.warn(
    `${record.id}: conflicts with the steps landed since its lane started (${shown}); running it again from ${tip.slice(0, 12)}`,
  );
  await worktrees(() => removeScratchWorktree(pe.ws.git, lane.worktree));
  Object.assign(record, { status: "pending", relanded: true });
  delete record.lane;
  delete record.commit;
  delete record.touched;
  delete record.validationChanges;
  await c.save();
  return "conflict";
}

/**
 * The run's worktree back on its branch's tip (only landing writes there under --parallel; a
 * stop in the middle of one leaves it half-updated). Untracked files (a bootstrap's) stay.
 */
async function resetRunWorktree(c: ExecContext): Promise<void> {
  const git = c.pe.ws.git.at(c.state.worktree, { isolate: true, untrusted: true });
  await git.run([...noHooks, "reset", "--quiet", "--hard", "HEAD"]);
}

/** Lane worktrees a run left (abort removes them). */
export async function laneWorktrees(commonDir: string, runId: string): Promise<string[]> {
  const root = laneRoot(commonDir, runId);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  return names.map((name) => path.join(root, name));
}
