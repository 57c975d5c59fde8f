import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { pack, paths } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --branch", () => {
  it("selects what changed since the merge-base with main (the default), committed and uncommitted", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", { "shared.txt": "s\n", "untouched.txt": "u\n" });
      await repo.git(["switch", "-q", "-c", "feature"]);
      await repo.commit("one", { "one.txt": "1\n" });
      await repo.git(["tag", "after-one"]);
      await repo.commit("two", { "two.txt": "2\n" });
      // main moves on; its new file is not a change of this branch.
      await repo.git(["switch", "-q", "main"]);
      await repo.commit("main only", { "main-only.txt": "m\n" });
      await repo.git(["switch", "-q", "feature"]);
      await repo.write("shared.txt", "uncommitted edit\n");

      const byDefault = await pack(repo, { selectors: { branch: "" } });
      expect(paths(byDefault)).toEqual(["one.txt", "shared.txt", "two.txt"]);
      expect(paths(await pack(repo, { selectors: { branch: "after-one" } }))).toEqual([
        "shared.txt",
        "two.txt",
      ]);
    });
  });

  it("prefers the upstream when one is set", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", { "a.txt": "a\n" });
      await repo.git(["switch", "-q", "-c", "topic"]);
      await repo.commit("t1", { "t1.txt": "1\n" });
      await repo.git(["branch", "-q", "--set-upstream-to=main"]);
      await repo.git(["switch", "-q", "-c", "topic2"]);
      await repo.git(["branch", "-q", "--set-upstream-to=topic"]);
      await repo.commit("t2", { "t2.txt": "2\n" });
      expect(paths(await pack(repo, { selectors: { branch: "" } }))).toEqual(["t2.txt"]);
    });
  });

  it("refuses a base that is not a commit, or one that looks like an option", async () => {
    await withGitRepo(async (repo) => {
      for (const base of ["no-such-branch", "--output=/tmp/x"]) {
        const error = await pack(repo, { selectors: { branch: base } }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(2);
        expect((error as SpeError).message).toBe(
          `--branch ${base}: not a commit in this repository`,
        );
      }
    });
  });
});
