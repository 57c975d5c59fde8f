// A git call runs in its own process group: a timeout or an abort stops git and what it started
// (a hook, an alias's shell), so the call returns at once instead of when they finish; an abort
// is reported as the abort even with a timeout set; a timeout of 0 is no limit.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GitError } from "../../src/errors.ts";
import { createGit } from "../../src/git/exec.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";

/** Whether a process with this pid is still running (and not a zombie). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

/** An alias whose shell writes its pid, then sleeps 30 s; and that pid once written. */
function sleeper(repo: TestRepo) {
  const pidFile = path.join(repo.dir, ".git", "sleeper.pid");
  const pid = () => (fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8")) : 0);
  return {
    args: [
      "-c",
      `alias.slow=!echo $$ > '${pidFile}.tmp' && mv '${pidFile}.tmp' '${pidFile}'; sleep 30`,
      "slow",
    ],
    started: () => waitFor(() => pid() > 0, 10_000),
    pid,
  };
}

describe("stopping a git call", () => {
  it("a timeout stops git and the shell it started", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      const slow = sleeper(repo);
      const started = Date.now();
      const error = await git.run(slow.args, { timeoutMs: 2_000 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(error).toBeInstanceOf(GitError);
      expect((error as GitError).message).toMatch(/timed out/);
      expect(slow.pid()).toBeGreaterThan(0);
      expect(await waitFor(() => !alive(slow.pid()), 5_000)).toBe(true);
    });
  });

  it("an abort stops them too, and is reported as the abort even with a timeout set", async () => {
    await withGitRepo(async (repo) => {
      const controller = new AbortController();
      const git = createGit({ cwd: repo.dir, signal: controller.signal });
      const slow = sleeper(repo);
      const pending = git.run(slow.args, { timeoutMs: 60_000 }).catch((e: unknown) => e);
      expect(await slow.started()).toBe(true);
      controller.abort(new DOMException("stop", "AbortError"));
      expect(await pending).toMatchObject({ name: "AbortError", message: "stop" });
      expect(await waitFor(() => !alive(slow.pid()), 5_000)).toBe(true);
    });
  });

  it("a timeout of 0 is no limit, and one out of range starts nothing", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      const out = await git.text(["-c", "alias.nap=!sleep 0.3; echo rested", "nap"], {
        timeoutMs: 0,
      });
      expect(out).toBe("rested");
      const marker = path.join(repo.dir, ".git", "ran");
      await expect(
        git.run(["-c", `alias.mark=!touch '${marker}'`, "mark"], { timeoutMs: -1 }),
      ).rejects.toThrow(/git timeout out of range: -1 ms/);
      expect(fs.existsSync(marker)).toBe(false);
    });
  });
});
