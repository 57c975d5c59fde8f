/**
 * `git spe exec` (the built CLI) killed with SIGKILL at each point where a run waits: the
 * scratch worktree's checkout, a model answer in flight, a command the model runs, a validate
 * command, S1's git commit before the run state records it, a plugin's step:after hook after
 * the commit, the move of the user's branch (a reference-transaction hook of the user's), and
 * the notes write after the merge (store "notes"). Nothing can save the run state at a SIGKILL,
 * and git processes the dead run started keep going; afterwards the user's branch, index,
 * working tree and stash are as before (or the branch is at the validated result, when the
 * merge's git had already started), and `git spe exec ID --resume` takes over the stale lock and
 * finishes the run — or `git spe abort ID` removes it. See test/helpers/kill-rig.ts for how each
 * point is held open.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
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
  type KillPoint,
} from "../helpers/kill-rig.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

/** SIGKILL at `point`, the state and the user's work checked, then `--resume` finishes. */
async function killAtAndResume(point: KillPoint, parallel: boolean): Promise<void> {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      const rig = await createKillRig(repo, server, point, { parallel });
      const run = rig.start();
      await rig.reached();
      run.child.kill("SIGKILL");
      expect((await run.child).signal).toBe("SIGKILL");
      // Whatever the dead process had started (a validator, git) goes on; let it finish.
      await rig.releaseAll();
      await rig.settle();

      const saved = await rig.runState();
      expect(saved.status).toBe("running");
      if (parallel) {
        // S1 where the point is (its lane not yet made: pending; committed from step:after
        // on); S2 at its command.
        const s1 =
          point === "lane"
            ? "pending"
            : point === "step-after" || point === "land"
              ? "committed"
              : "running";
        expect(saved.steps.map((s) => s.status)).toEqual([s1, "running"]);
      }
      expect(stoppedRow(saved)).toBe(rowOf[point]);
      await expectUserStateKept(rig, branchMovedAt.includes(point));

      await expectResumeFinishes(rig);
    });
  });
}

describe("exec killed with SIGKILL", () => {
  it.each(killPoints)(
    "at %s (%s): the user's work is intact and --resume finishes the run",
    (point) => killAtAndResume(point, false),
    60_000,
  );

  it.each(parallelKillPoints)(
    "with S2 in flight beside S1 (--parallel 2), at %s (%s): the user's work is intact and --resume finishes the run",
    (point) => killAtAndResume(point, true),
    60_000,
  );

  it("during validation, then git spe abort: the run's worktree, branch and lock are gone", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const rig = await createKillRig(repo, server, "validate");
        const run = rig.start();
        await rig.reached();
        run.child.kill("SIGKILL");
        expect((await run.child).signal).toBe("SIGKILL");
        await rig.releaseAll();
        await rig.settle();
        const { worktree } = await rig.runState();
        expect(await fs.stat(worktree).then(() => true)).toBe(true);

        const aborted = await runCli(["abort", rig.id], { cwd: repo.dir, env: rig.env });
        expect(aborted.exitCode, aborted.stderr).toBe(0);
        expect(await rig.runState()).toMatchObject({ status: "aborted" });
        await expect(fs.stat(worktree)).rejects.toThrow();
        expect(await repo.git(["for-each-ref", "refs/heads/spe/"])).toBe("");
        expect(await repo.git(["worktree", "list", "--porcelain"])).not.toContain(worktree);
        await expect(fs.access(rig.lockFile)).rejects.toThrow();
        await expectUserStateKept(rig, false);
      });
    });
  });
});
