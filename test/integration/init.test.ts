import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { init } from "../../src/commands/init.ts";
import { loadConfig } from "../../src/config/load.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";

const ctx = (cwd: string) => testCommandContext(cwd);

async function snapshot(repo: TestRepo) {
  const read = (name: string) => fs.readFile(repo.path(name), "utf8").catch(() => null);
  return {
    config: await read(".spe.config.ts"),
    gitignore: await read(".spe/.gitignore"),
    speignore: await read(".speignore"),
    gitConfig: await read(".git/config"),
  };
}

describe("git spe init", () => {
  it("creates the config, .spe/.gitignore and .speignore, and sets the notes rewrite settings", async () => {
    await withGitRepo(async (repo) => {
      const result = await init(ctx(repo.dir), { store: "notes" });
      expect(result.files).toEqual([
        { path: ".spe.config.ts", action: "created" },
        { path: ".spe/.gitignore", action: "created" },
        { path: ".speignore", action: "created" },
      ]);
      expect(await repo.git(["config", "--get-all", "notes.rewriteRef"])).toBe("refs/notes/spe");
      expect(await repo.git(["config", "notes.rewrite.amend"])).toBe("true");
      expect(await repo.git(["config", "notes.rewrite.rebase"])).toBe("true");
      // The written config is valid and carries the chosen store.
      expect((await loadConfig(repo.dir)).config.store).toBe("notes");
      expect(await repo.read(".spe/.gitignore")).toMatch(/^\/\*\/runs\/$/m);
    });
  });

  it("changes nothing the second time and says what it left alone", async () => {
    await withGitRepo(async (repo) => {
      await init(ctx(repo.dir));
      const before = await snapshot(repo);
      const second = await init(ctx(repo.dir));
      expect(await snapshot(repo)).toEqual(before);
      expect(second.files.every((f) => f.action === "left-alone")).toBe(true);
      expect(second.gitConfig.every((c) => c.action === "unchanged")).toBe(true);
    });
  });

  it("never overwrites an existing file and keeps other rewrite refs", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".speignore", "my-own-rules/\n");
      await repo.write(".sperc.json", '{ "store": "dir" }\n');
      await repo.git(["config", "notes.rewriteRef", "refs/notes/commits"]);
      const result = await init(ctx(repo.dir), { store: "notes" });
      expect(result.files).toContainEqual({
        path: ".spe.config.ts",
        action: "left-alone",
        reason: "a config already exists: .sperc.json",
      });
      expect(result.files).toContainEqual({
        path: ".speignore",
        action: "left-alone",
        reason: "already exists",
      });
      expect(await repo.exists(".spe.config.ts")).toBe(false);
      expect(await repo.read(".speignore")).toBe("my-own-rules/\n");
      expect((await repo.git(["config", "--get-all", "notes.rewriteRef"])).split("\n")).toEqual([
        "refs/notes/commits",
        "refs/notes/spe",
      ]);
    });
  });

  it("writes at the work tree root when run from a subdirectory", async () => {
    await withGitRepo(async (repo) => {
      await fs.mkdir(repo.path("deep", "er"), { recursive: true });
      await init(ctx(repo.path("deep", "er")));
      expect(await repo.exists(".spe.config.ts")).toBe(true);
      expect(await repo.exists("deep/er/.spe.config.ts")).toBe(false);
    });
  });

  it("installs the hooks with --hooks git", async () => {
    await withGitRepo(async (repo) => {
      const result = await init(ctx(repo.dir), { hooks: "git" });
      expect(result.hooks.map((h) => [h.name, h.action])).toEqual([
        ["pre-push", "installed"],
        ["prepare-commit-msg", "installed"],
      ]);
      expect(await repo.read(".git/hooks/prepare-commit-msg")).toContain(
        "git-spe hook prepare-commit-msg",
      );
    });
  });
});
