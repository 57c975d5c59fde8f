import { describe, expect, it } from "vitest";
import { pack, paths } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --grep", () => {
  it("selects tracked text files matching any of the patterns, with git grep's syntax", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", {
        "src/auth.ts": "export function login() {}\n",
        "src/session.ts": "// uses login\n",
        "docs/other.md": "nothing here\n",
        "ünï/дата.txt": "LOGOUT\n",
        "image.bin": "login\u0000binary",
      });
      expect(paths(await pack(repo, { selectors: { grep: ["login"] } }))).toEqual([
        "src/auth.ts",
        "src/session.ts",
      ]);
      expect(paths(await pack(repo, { selectors: { grep: ["login", "LOGOUT"] } }))).toEqual([
        "src/auth.ts",
        "src/session.ts",
        "ünï/дата.txt",
      ]);
      expect(paths(await pack(repo, { selectors: { grep: ["^export function"] } }))).toEqual([
        "src/auth.ts",
      ]);
    });
  });

  it("selects nothing, without error, when nothing matches", async () => {
    await withGitRepo(async (repo) => {
      expect((await pack(repo, { selectors: { grep: ["no such text anywhere"] } })).files).toEqual(
        [],
      );
    });
  });
});
