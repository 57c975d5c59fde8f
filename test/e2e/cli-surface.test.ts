import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.ts";
import { binDirWithGitSpe, pathWith, runCli } from "../helpers/cli.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";
import pkg from "../../package.json" with { type: "json" };

const designCommands = [
  "init",
  "context",
  "spec",
  "plan",
  "exec",
  "run",
  "status",
  "show",
  "validate",
  "drift",
  "abort",
  "notes",
  "hook",
  "doctor",
];

describe("the CLI surface", () => {
  it("--help lists every subcommand of the design", async () => {
    await withTempDir(async (dir) => {
      const result = await runCli(["--help"], { cwd: dir });
      expect(result.exitCode).toBe(0);
      for (const name of designCommands)
        expect(result.stdout).toMatch(new RegExp(`^  ${name}\\s+\\S`, "m"));
      expect(commands.map((c) => c.name)).toEqual(designCommands);
    });
  });

  it("gives every subcommand its own -h with its options, exit 0", async () => {
    await withTempDir(async (dir) => {
      for (const command of commands) {
        const result = await runCli([command.name, "-h"], { cwd: dir });
        expect(result.exitCode, command.name).toBe(0);
        expect(result.stdout).toContain(`usage: git spe ${command.name}`);
        for (const option of command.options)
          expect(result.stdout, command.name).toContain(`--${option.name}`);
      }
    });
  });

  it("refuses an unknown hook name and a bad revision with exit 2, changing nothing", async () => {
    await withGitRepo(async (repo) => {
      const hook = await runCli(["hook", "post-frobnicate"], { cwd: repo.dir });
      expect(hook.exitCode).toBe(2);
      expect(hook.stderr).toMatch(/^error: .*post-frobnicate/m);
      const validate = await runCli(["validate", "no-such-rev"], { cwd: repo.dir });
      expect(validate.exitCode).toBe(2);
      expect(validate.stderr).toMatch(/^error: .*no-such-rev/m);
      expect(await repo.git(["status", "--porcelain", "--untracked-files=all"])).toBe("");
    });
  });

  it("refuses an unknown command and an unknown option with exit 2 and a hint", async () => {
    await withTempDir(async (dir) => {
      const typo = await runCli(["inti"], { cwd: dir });
      expect(typo.exitCode).toBe(2);
      expect(typo.stderr).toContain("error: 'inti' is not a git spe command");
      expect(typo.stderr).toContain("hint: Did you mean: git spe init");
      const option = await runCli(["doctor", "--frobnicate"], { cwd: dir });
      expect(option.exitCode).toBe(2);
      expect(option.stderr).toContain("error: unknown option --frobnicate for git spe doctor");
    });
  });

  it("prints the usage on stderr with exit 2 when no command is given", async () => {
    await withTempDir(async (dir) => {
      const result = await runCli([], { cwd: dir });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^usage: git spe/);
    });
  });

  it("reports usage errors as JSON on stdout under --json", async () => {
    await withTempDir(async (dir) => {
      const result = await runCli(["--json", "nosuch"], { cwd: dir });
      expect(result.exitCode).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({
        ok: false,
        error: { kind: "usage", exitCode: 2 },
      });
    });
  });

  it("runs as `git spe` through git's subcommand lookup", async () => {
    await withTempDir(async (dir) => {
      const bin = binDirWithGitSpe(dir);
      const { execa } = await import("execa");
      const result = await execa("git", ["spe", "--version"], {
        cwd: dir,
        env: { PATH: pathWith(bin) },
        reject: false,
      });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(`git-spe ${pkg.version}`);
    });
  });
});
