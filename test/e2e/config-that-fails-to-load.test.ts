/**
 * A `.spe.config.ts` that throws while loading, or has a syntax error, stops every command with
 * exit 2 and a short message — the thrown message or the parser's file:line:col, no stack trace —
 * before anything is created, and before any key is asked for. doctor reports it too (exit 2).
 * A malformed package.json in the current directory is read by cosmiconfig itself (its "meta"
 * settings), even when .sperc.json is the config: that too is exit 2 naming the file, not an
 * internal error.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";

const { ".sperc.json": _sperc, ...project } = projectFiles();

async function repoState(repo: TestRepo) {
  return {
    refs: await repo.git(["for-each-ref", "--format=%(refname) %(objectname)"]),
    status: await repo.git(["status", "--porcelain", "--untracked-files=all"]),
    worktrees: await repo.git(["worktree", "list", "--porcelain"]),
    speDir: await fs.readdir(repo.path(".git", "spe")).catch(() => []),
  };
}

describe("a config that fails to load", () => {
  it("throwing: exec and doctor exit 2 with the thrown message", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", project);
      const id = await seedSpec(repo);
      await repo.write(".spe.config.ts", 'throw new Error("no config for you");\n');
      const before = await repoState(repo);

      const exec = await runCli(["exec", id], { cwd: repo.dir });
      expect(exec.exitCode).toBe(2);
      expect(exec.stderr).toBe(
        "error: cannot load the git spe config .spe.config.ts:\n  no config for you\nhint: Fix the file, then run git spe doctor.",
      );
      const doctor = await runCli(["doctor"], { cwd: repo.dir });
      expect(doctor.exitCode).toBe(2);
      expect(doctor.stdout).toContain(`✗ config ${repo.path(".spe.config.ts")} is invalid:`);
      expect(doctor.stdout).toContain("no config for you");
      expect(await repoState(repo)).toEqual(before);
    });
  });

  it("with a syntax error: spec and status exit 2 naming the line and column", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", project);
      await repo.write(".spe.config.ts", 'export default {\n  store: "dir",,\n};\n');
      const before = await repoState(repo);
      // No model key is set: the config problem is reported first (exit 2, not 3).
      for (const argv of [["spec", "add square"], ["status"]]) {
        const result = await runCli(argv, { cwd: repo.dir });
        expect(result.exitCode, result.stderr).toBe(2);
        expect(result.stderr).toBe(
          "error: cannot load the git spe config .spe.config.ts:\n" +
            `  ParseError: Unexpected token ${repo.path(".spe.config.ts")}:2:15\n` +
            "hint: Fix the file, then run git spe doctor.",
        );
      }
      expect(await repoState(repo)).toEqual(before);
    });
  });

  it("a malformed package.json (being edited): exit 2 naming it, not an internal error", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      await repo.write("package.json", '{\n  "name": "math",\n');
      const before = await repoState(repo);
      const result = await runCli(["status"], { cwd: repo.dir });
      expect(result.exitCode, result.stderr).toBe(2);
      // The JSON parser's wording varies with the Node version; the shape does not.
      const lines = result.stderr.split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toBe("error: cannot load the git spe config package.json:");
      expect(lines[1]?.startsWith(`  JSON Error in ${repo.path("package.json")}: `)).toBe(true);
      expect(lines[2]).toBe("hint: Fix the file, then run git spe doctor.");
      expect(await repoState(repo)).toEqual(before);
    });
  });
});
