import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { pack, paths, skippedAs } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --stdin", () => {
  it("reads NUL-separated paths (git ls-files -z), newlines inside names included", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "a b.txt": "1\n", "new\nline.txt": "2\n", "-dash.txt": "3\n" });
      const result = await pack(
        repo,
        { stdin: true },
        { stdin: "a b.txt\0new\nline.txt\0-dash.txt\0" },
      );
      expect(paths(result)).toEqual(["-dash.txt", "a b.txt", "new\nline.txt"]);
    });
  });

  it("reads newline-separated paths relative to the current directory and lists missing ones", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "src/x.ts": "x\n", "src/y.ts": "y\n" });
      await fs.mkdir(repo.path("src"), { recursive: true });
      const result = await pack(
        repo,
        { stdin: true },
        { cwd: repo.path("src"), stdin: "x.ts\r\n../README.md\nnot-there.ts\n" },
      );
      expect(paths(result)).toEqual(["README.md", "src/x.ts"]);
      expect(skippedAs(result, "deleted")).toEqual(["src/not-there.ts"]);
    });
  });

  it("refuses a path outside the work tree", async () => {
    await withGitRepo(async (repo) => {
      const error = await pack(repo, { stdin: true }, { stdin: "../../etc/passwd\n" }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SpeError);
      expect((error as SpeError).message).toMatch(/"..\/..\/etc\/passwd" is outside the work tree/);
    });
  });
});
