// What goes into and comes out of a git call: input on stdin (also more than git reads before it
// exits), stdout as bytes or text, and a clear error when the git binary is not there.
import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { createGit } from "../../src/git/exec.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("a git call's input and output", () => {
  it("feeds input on stdin and returns stdout as bytes or text", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      const bytes = new Uint8Array([0, 1, 2, 255, 10]);
      const id = await git.text(["hash-object", "-w", "--stdin"], { input: bytes });
      expect(id).toMatch(/^[0-9a-f]{40}$/);
      const back = await git.runBuffer(["cat-file", "blob", id]);
      expect([...back.stdout]).toEqual([...bytes]);
      expect(typeof (await git.run(["cat-file", "-p", id])).stdout).toBe("string");
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
});
