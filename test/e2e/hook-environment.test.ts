/**
 * git spe runs inside real hooks: `git commit -a` fires pre-commit with GIT_INDEX_FILE set to a
 * temporary index (and, for some hooks, GIT_DIR). The CLI must find the right repository there.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { binDirWithGitSpe, pathWith } from "../helpers/cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("the CLI inside a real git hook", () => {
  it("doctor run by a pre-commit hook during `git commit -a` sees the repository", async () => {
    await withGitRepo(async (repo) => {
      const bin = binDirWithGitSpe(repo.path(".git", "spe-test"));
      await repo.commit("base", { "file.txt": "v1\n" });
      const hook = repo.path(".git", "hooks", "pre-commit");
      await fs.writeFile(
        hook,
        // git runs hooks at the work tree root.
        '#!/bin/sh\nenv | grep "^GIT_INDEX_FILE=" > hook-env.txt\ngit spe doctor --json > hook-doctor.json 2>hook-doctor.err\necho "doctor exit $?" >> hook-doctor.err\n',
        { mode: 0o755 },
      );
      await repo.write("file.txt", "v2\n");
      await repo.git(["commit", "-a", "-q", "-m", "second"], { env: { PATH: pathWith(bin) } });

      expect(await repo.read("hook-env.txt")).toMatch(/^GIT_INDEX_FILE=.*index/m);
      expect(await repo.read("hook-doctor.err")).toMatch(/doctor exit 0\n$/);
      const report = JSON.parse(await repo.read("hook-doctor.json")) as {
        repository: { toplevel: string; gitDir: string };
      };
      expect(report.repository).toMatchObject({ toplevel: repo.dir, gitDir: repo.path(".git") });
    });
  });
});
