// The git runner (src/git/exec.ts) starts git in its own process group: input on stdin, raw
// bytes out, a timeout and an abort that stop what git started too (a hook, an alias's shell),
// and a clear error when git is not there.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GitError, SpeError } from "../../src/errors.ts";
import { createGit } from "../../src/git/exec.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

/** Whether a process with this pid is still running (and not a zombie). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z /.test(stat);
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

describe("the git runner", () => {
  it("feeds input on stdin and returns stdout as bytes or text", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      const bytes = new Uint8Array([0, 1, 2, 255, 10]);
      const id = await git.text(["hash-object", "-w", "--stdin"], { input: bytes });
      expect(id).toMatch(/^[0-9a-f]{40}$/);
      const back = await git.runBuffer(["cat-file", "blob", id]);
      expect([...back.stdout]).toEqual([...bytes]);
      const text = await git.run(["cat-file", "-p", id]);
      expect(typeof text.stdout).toBe("string");
    });
  });

  it("stops a call that outlives timeoutMs, and the programs it started", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      const pidFile = path.join(repo.dir, ".git", "sleeper.pid");
      const started = Date.now();
      const error = await git
        .run(["-c", `alias.slow=!echo $$ > '${pidFile}'; sleep 30`, "slow"], { timeoutMs: 300 })
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error).toBeInstanceOf(GitError);
      expect((error as GitError).message).toMatch(/timed out/);
      // The shell git ran for the alias is gone too (signalled as the group).
      const shell = Number(fs.readFileSync(pidFile, "utf8"));
      expect(await waitFor(() => !alive(shell), 5_000)).toBe(true);
    });
  });

  it("on abort, stops the programs git started, not only git", async () => {
    await withGitRepo(async (repo) => {
      const controller = new AbortController();
      const git = createGit({ cwd: repo.dir, signal: controller.signal });
      const pidFile = path.join(repo.dir, ".git", "sleeper.pid");
      const pending = git
        .run(["-c", `alias.slow=!echo $$ > '${pidFile}'; sleep 30`, "slow"])
        .catch((e: unknown) => e);
      expect(
        await waitFor(() => fs.existsSync(pidFile) && fs.statSync(pidFile).size > 0, 5_000),
      ).toBe(true);
      controller.abort(new DOMException("stop", "AbortError"));
      expect(await pending).toMatchObject({ name: "AbortError" });
      const shell = Number(fs.readFileSync(pidFile, "utf8"));
      expect(await waitFor(() => !alive(shell), 5_000)).toBe(true);
    });
  });

  it("says git is not on PATH when the binary does not exist", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir, gitBinary: "/nonexistent/git-for-this-test" });
      const error = await git.run(["status"]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpeError);
      expect((error as Error).message).toBe(
        'git not found: "/nonexistent/git-for-this-test" is not on PATH',
      );
    });
  });

  it("does not fail when git exits before reading all of its input", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      // `git version` reads no stdin: 8 MB of input must not turn into an EPIPE error.
      const out = await git.text(["version"], { input: "x".repeat(8 * 1024 * 1024) });
      expect(out).toMatch(/^git version \d/);
    });
  });
});
