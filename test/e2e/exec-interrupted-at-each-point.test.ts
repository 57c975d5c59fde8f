/**
 * `git spe exec` (the built CLI) sent SIGINT, as Ctrl-C does, at each point where a run waits:
 * the scratch worktree's checkout, a model answer in flight, a command the model runs, a
 * validate command, S1's git commit before the run state records it, a plugin's step:after hook
 * after the commit, the move of the user's branch (a reference-transaction hook of the user's),
 * and the notes write after the merge (store "notes"). The run stops at that point (a move of
 * the user's branch that git has begun is finished first, never torn), is saved as interrupted,
 * the lock is released and the exit code is 130; the user's branch, index, working tree and
 * stash are as before (or the branch is at the validated result when the merge had begun); `git
 * spe exec ID --resume` finishes the run. The signal goes to the CLI's process only, as a
 * terminal's Ctrl-C effectively does: git spe starts every child in its own process group.
 * See test/helpers/kill-rig.ts.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  createKillRig,
  branchMovedAt,
  expectResumeFinishes,
  killPoints,
  parallelKillPoints,
  expectUserStateKept,
  rowOf,
  stoppedRow,
  until,
  type KillPoint,
} from "../helpers/kill-rig.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

/** SIGINT at `point`: exit 130, the state and the user's work checked, then `--resume` finishes. */
async function interruptAtAndResume(point: KillPoint, parallel: boolean): Promise<void> {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      const rig = await createKillRig(repo, server, point, { parallel });
      const run = rig.start();
      await rig.reached();
      run.child.kill("SIGINT");
      await until(() => run.stderr().includes("SIGINT received"), "the CLI to get SIGINT");
      // Whatever git spe lets finish before it stops (a ref move) must not wait for us.
      await rig.releaseAll();
      const result = await run.child;
      expect(result.exitCode, run.stderr()).toBe(130);
      expect(run.stderr()).toContain(
        `exec: interrupted; the run is saved. Continue: git spe exec ${rig.id} --resume`,
      );

      const saved = await rig.runState();
      expect(saved).toMatchObject({ status: "interrupted", message: "interrupted" });
      // With S2 beside S1: S2 never got past its command, so it did not land.
      if (parallel) expect(saved.steps[1]?.status).not.toBe("committed");
      if (point === "merge") {
        // The move of main had begun: it finished, and the run stopped after the row.
        expect(saved.rows.find((r) => r.name === "merge")?.status).toBe("done");
        expect(saved.rows.find((r) => r.name === "record")?.status).toBe("pending");
        expect(saved.mergeResult?.commit).toBe(await repo.git(["rev-parse", "main"]));
      } else {
        expect(stoppedRow(saved)).toBe(rowOf[point]);
      }
      await expect(fs.access(rig.lockFile)).rejects.toThrow();
      await expectUserStateKept(rig, branchMovedAt.includes(point));

      await expectResumeFinishes(rig);
    });
  });
}

describe("exec interrupted with SIGINT", () => {
  it.each(killPoints)(
    "at %s (%s): exits 130, the run is saved as interrupted, and --resume finishes it",
    (point) => interruptAtAndResume(point, false),
    60_000,
  );

  it.each(parallelKillPoints)(
    "with S2 in flight beside S1 (--parallel 2), at %s (%s): both stop, the run is saved as interrupted, and --resume finishes it",
    (point) => interruptAtAndResume(point, true),
    60_000,
  );
});
