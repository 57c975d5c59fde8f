import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";

const invalidConfig = `import { defineConfig } from "git-spe";
export default defineConfig({
  // @ts-expect-error: wrong on purpose
  store: 42,
  models: { spec: "nosuchprovider:model-x", exec: "openai" },
});
`;

describe("git spe init and doctor, end to end", () => {
  it("init creates the files; a second init changes nothing", async () => {
    await withGitRepo(async (repo) => {
      const first = await runCli(["init"], { cwd: repo.dir });
      expect(first.exitCode).toBe(0);
      expect(first.stderr).toContain("created     .spe.config.ts");
      const status = await repo.git(["status", "--porcelain", "--untracked-files=all"]);
      expect(status.split("\n").sort()).toEqual([
        "?? .spe.config.ts",
        "?? .spe/.gitignore",
        "?? .speignore",
      ]);
      const files = async () =>
        Promise.all(
          [".spe.config.ts", ".spe/.gitignore", ".speignore", ".git/config"].map((f) =>
            repo.read(f),
          ),
        );
      const before = await files();

      const second = await runCli(["init", "--json"], { cwd: repo.dir });
      expect(second.exitCode).toBe(0);
      expect(await files()).toEqual(before);
      const result = JSON.parse(second.stdout) as {
        files: { action: string }[];
        gitConfig: { action: string }[];
      };
      expect(result.files.map((f) => f.action)).toEqual(["left-alone", "left-alone", "left-alone"]);
      expect(result.gitConfig.map((c) => c.action)).toEqual([
        "unchanged",
        "unchanged",
        "unchanged",
      ]);
    });
  });

  it("init and doctor outside a repository exit 3 naming the problem", async () => {
    await withTempDir(async (dir) => {
      for (const command of ["init", "doctor"]) {
        const result = await runCli([command], { cwd: dir });
        expect(result.exitCode, command).toBe(3);
        expect(result.stderr, command).toContain(`error: not a git repository: ${dir}`);
      }
      expect(await fs.readdir(dir)).toEqual([]);
    });
  });

  it("doctor exits 2 on an invalid .spe.config.ts, listing each problem with its path", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".spe.config.ts", invalidConfig);
      const result = await runCli(["doctor"], { cwd: repo.dir });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toContain('store: Invalid option: expected one of "dir"|"notes"');
      expect(result.stdout).toContain('models.spec: unknown provider "nosuchprovider"');
      expect(result.stdout).toContain('models.exec: "openai" needs a model');

      const json = await runCli(["doctor", "--json"], { cwd: repo.dir });
      expect(json.exitCode).toBe(2);
      const report = JSON.parse(json.stdout) as {
        config: { valid: boolean; problems: string[]; file: string };
      };
      expect(report.config.valid).toBe(false);
      expect(report.config.file).toBe(repo.path(".spe.config.ts"));
      expect(report.config.problems.map((p) => p.split(":")[0])).toEqual([
        "store",
        "models.spec",
        "models.exec",
      ]);
    });
  });

  it("doctor works from a subdirectory and inside a linked worktree", async () => {
    await withGitRepo(async (repo) => {
      await runCli(["init"], { cwd: repo.dir });
      await repo.commit("add git spe config");
      await fs.mkdir(repo.path("src", "deep"), { recursive: true });
      const sub = await runCli(["doctor", "--json"], { cwd: repo.path("src", "deep") });
      expect(sub.exitCode).toBe(0);
      expect(JSON.parse(sub.stdout)).toMatchObject({
        repository: { toplevel: repo.dir, prefix: "src/deep/", isLinkedWorktree: false },
        config: { valid: true, file: repo.path(".spe.config.ts") },
      });

      const linked = `${repo.dir}-wt`;
      await repo.git(["worktree", "add", "-q", "-b", "feature", linked]);
      try {
        const wt = await runCli(["doctor", "--json"], { cwd: linked });
        expect(wt.exitCode).toBe(0);
        expect(JSON.parse(wt.stdout)).toMatchObject({
          repository: { toplevel: linked, commonDir: repo.path(".git"), isLinkedWorktree: true },
          config: { valid: true, file: path.join(linked, ".spe.config.ts") },
          notes: { rewriteRef: true },
        });
      } finally {
        await fs.rm(linked, { recursive: true, force: true });
      }
    });
  });

  it("doctor names the key variables that are set, never their values", async () => {
    await withGitRepo(async (repo) => {
      const secret = "sk-ant-api03-DOCTOR-MUST-NOT-PRINT-THIS";
      const result = await runCli(["doctor", "--json"], {
        cwd: repo.dir,
        env: { ANTHROPIC_API_KEY: secret },
      });
      expect(result.exitCode).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(secret);
      expect(result.stderr).toContain(
        "ANTHROPIC_API_KEY is set (anthropic, needed by models.exec)",
      );
      expect(result.stderr).toContain(
        "! GEMINI_API_KEY or GOOGLE_API_KEY is not set (needed by models.spec, models.plan)",
      );
    });
  });

  it("doctor finds an agent CLI on PATH when the config uses it", async () => {
    await withGitRepo(async (repo) => {
      const bin = repo.path("fakebin");
      await fs.mkdir(bin);
      await fs.writeFile(path.join(bin, "claude"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      await repo.write(".sperc.json", '{ "models": { "exec": "claude-code" } }');
      // Not this project's node_modules/.bin: the real Claude Code is there (a devDependency).
      const systemPath = (process.env.PATH ?? "")
        .split(path.delimiter)
        .filter((dir) => !dir.endsWith(path.join("node_modules", ".bin")))
        .join(path.delimiter);
      const missing = await runCli(["doctor"], { cwd: repo.dir, env: { PATH: systemPath } });
      expect(missing.stdout).toContain(
        "! claude is not on PATH (claude-code, needed by models.exec): npm install -g @anthropic-ai/claude-code",
      );
      const found = await runCli(["doctor"], {
        cwd: repo.dir,
        env: { PATH: `${bin}:${systemPath}` },
      });
      expect(found.exitCode).toBe(0);
      expect(found.stdout).toContain(`✓ claude at ${path.join(bin, "claude")} (claude-code)`);
    });
  });

  it("--debug traces every git call on stderr; --quiet keeps stderr to warnings", async () => {
    await withGitRepo(async (repo) => {
      const debug = await runCli(["doctor", "--debug", "--json"], { cwd: repo.dir });
      expect(debug.stderr).toMatch(
        /^debug: git "rev-parse" "--is-bare-repository" .* → 0 in \d+ ms/m,
      );
      expect(JSON.parse(debug.stdout)).toHaveProperty("checks");
      const quiet = await runCli(["init", "--quiet"], { cwd: repo.dir });
      expect(quiet.exitCode).toBe(0);
      expect(quiet.stderr).toBe("");
    });
  });
});
