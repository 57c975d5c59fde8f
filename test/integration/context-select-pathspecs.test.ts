import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { pack, paths } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context PATH...", () => {
  it("takes pathspecs relative to the current directory, tracked and untracked, globs and leading dashes", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", {
        "src/a.ts": "a\n",
        "src/b.js": "b\n",
        "src/-dash.ts": "d\n",
        "lib/c.ts": "c\n",
      });
      await repo.write("src/new.ts", "untracked\n");
      await fs.mkdir(repo.path("src"), { recursive: true });
      const fromSrc = await pack(
        repo,
        { selectors: { pathspecs: ["*.ts"] } },
        { cwd: repo.path("src") },
      );
      expect(paths(fromSrc)).toEqual(["src/-dash.ts", "src/a.ts", "src/new.ts"]);
      expect(
        paths(
          await pack(repo, { selectors: { pathspecs: ["-dash.ts"] } }, { cwd: repo.path("src") }),
        ),
      ).toEqual(["src/-dash.ts"]);
      expect(paths(await pack(repo, { selectors: { pathspecs: ["lib"] } }))).toEqual(["lib/c.ts"]);
    });
  });

  it("says so when a pathspec matches nothing", async () => {
    await withGitRepo(async (repo) => {
      const error = await pack(repo, { selectors: { pathspecs: ["nope/*.rs"] } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SpeError);
      expect((error as SpeError).exitCode).toBe(2);
      expect((error as SpeError).message).toBe('no file matches "nope/*.rs"');
    });
  });
});
