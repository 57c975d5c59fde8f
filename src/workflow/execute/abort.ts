/**
 * `git spe abort ID`: removes what an unfinished run left — its scratch worktree, its branch,
 * its lock — after saying so. Failed attempts (refs/spe/attempts/…) and backups
 * (refs/spe/backup/…) are kept: they are small, and they are the only copies of that work.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { usageError, workFailed } from "../../errors.ts";
import { deleteRef, readRef, snapshotRefs } from "../../git/refs.ts";
import { removeScratchWorktree } from "../../git/worktree.ts";
import { acquireFileLock } from "../../util/file-lock.ts";
import type { PhaseEnvironment } from "../phase-environment.ts";
import { resolveSpec } from "../plan.ts";
import { specLockPath } from "./exec.ts";
import { isUnfinished, listRuns, saveRunState } from "./run-state.ts";
import { laneRoot, laneWorktrees } from "./parallel.ts";

export interface AbortResult {
  specId: string;
  runId: string | null;
  removed: string[];
  kept: string[];
}

export async function abortRun(pe: PhaseEnvironment, id: string): Promise<AbortResult> {
  const specId = await resolveSpec(pe, id);
  const { git, paths } = pe.ws;
  const lock = await acquireFileLock(specLockPath(paths.commonDir, specId), {
    timeoutMs: 0,
    info: `abort ${specId}`,
    busy: (holder) =>
      workFailed(`a run of ${specId} is in progress (pid ${holder.pid})`, {
        hint: "Stop it first (Ctrl-C), then abort.",
      }),
  });
  try {
    const run = (await listRuns(paths.commonDir, specId)).find(isUnfinished);
    const worktree = run?.worktree ?? path.join(paths.commonDir, "spe", "worktrees", specId);
    const branch = `refs/heads/spe/${specId}`;
    const tip = await readRef(git, branch);
    const hasWorktree = await fs.stat(worktree).then(
      () => true,
      () => false,
    );
    const lanes = run ? await laneWorktrees(paths.commonDir, run.runId) : [];
    if (!run && !tip && !hasWorktree) throw usageError(`spec ${specId} has no run to abort`);
    const removed = [
      ...(hasWorktree ? [`worktree ${worktree}`] : []),
      ...lanes.map((lane) => `worktree ${lane} (a step's lane)`),
      ...(tip
        ? [
            `branch spe/${specId} (at ${tip.slice(0, 12)}; recover with: git branch spe/${specId} ${tip})`,
          ]
        : []),
      `lock ${specLockPath(paths.commonDir, specId)}`,
    ];
    const kept = [
      ...(
        await snapshotRefs(git, [`refs/spe/attempts/${run?.runId ?? "-"}`, "refs/spe/backup"])
      ).keys(),
    ];
    pe.log.info(`abort ${specId}${run ? ` (run ${run.runId}, ${run.status})` : ""}: removing`);
    for (const item of removed) pe.log.info(`  ${item}`);
    if (kept.length > 0)
      pe.log.info(`keeping ${kept.length} ref(s) under refs/spe/ (failed attempts, backups)`);
    if (hasWorktree) await removeScratchWorktree(git, worktree);
    for (const lane of lanes) await removeScratchWorktree(git, lane);
    if (run) await fs.rm(laneRoot(paths.commonDir, run.runId), { recursive: true, force: true });
    if (tip) await deleteRef(git, branch, tip);
    if (run) {
      run.status = "aborted";
      run.message = "aborted";
      await saveRunState(paths.commonDir, run, pe.now());
    }
    return { specId, runId: run?.runId ?? null, removed, kept };
  } finally {
    await lock.release();
  }
}
