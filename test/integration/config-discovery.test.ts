import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

const tsConfig = `import { defineConfig } from "git-spe";
const store: "dir" | "notes" = "notes";
export default defineConfig({ store, validate: ["npm test"] });
`;

describe("config discovery at the repository root", () => {
  it("uses defaults when there is no config", async () => {
    await withGitRepo(async (repo) => {
      const loaded = await loadConfig(repo.dir);
      expect(loaded.file).toBeUndefined();
      expect(loaded.config.store).toBe("dir");
    });
  });

  it.each([
    [".spe.config.ts", tsConfig],
    [
      ".spe.config.mjs",
      'import { defineConfig } from "git-spe";\nexport default defineConfig({ store: "notes", validate: ["npm test"] });\n',
    ],
    [".spe.config.js", 'export default { store: "notes", validate: ["npm test"] };\n'],
    [".spe.config.json", '{ "store": "notes", "validate": ["npm test"] }\n'],
    [".sperc.json", '{ "store": "notes", "validate": ["npm test"] }\n'],
    ["package.json", '{ "name": "x", "spe": { "store": "notes", "validate": ["npm test"] } }\n'],
  ])("loads %s", async (name, content) => {
    await withGitRepo(async (repo) => {
      await repo.write(name, content);
      const loaded = await loadConfig(repo.dir);
      expect(loaded.file).toBe(repo.path(name));
      expect(loaded.config.store).toBe("notes");
      expect(loaded.config.validate).toEqual(["npm test"]);
    });
  });

  it("takes the first by precedence and reports the others as shadowed", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".sperc.json", '{ "store": "dir" }');
      await repo.write(".spe.config.ts", tsConfig);
      const loaded = await loadConfig(repo.dir);
      expect(loaded.file).toBe(repo.path(".spe.config.ts"));
      expect(loaded.config.store).toBe("notes");
      expect(loaded.shadowed).toEqual([repo.path(".sperc.json")]);
    });
  });

  it("ignores a package.json without an spe key", async () => {
    await withGitRepo(async (repo) => {
      await repo.write("package.json", '{ "name": "x" }');
      expect((await loadConfig(repo.dir)).file).toBeUndefined();
    });
  });

  it("reports a config file it cannot read (a symlink loop), not the defaults", async () => {
    await withGitRepo(async (repo) => {
      await fs.symlink(".spe.config.json", repo.path(".spe.config.json"));
      const error = await loadConfig(repo.dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/cannot load the git spe config/);
    });
  });

  it.each([
    ["malformed", '{ "name": '],
    ["non-object (null)", "null"],
  ])("reports a %s package.json with no config file beside it", async (_, content) => {
    await withGitRepo(async (repo) => {
      await repo.write("package.json", content);
      await expect(loadConfig(repo.dir)).rejects.toBeInstanceOf(ConfigError);
    });
  });

  it("reports every validation problem with its path", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(
        ".spe.config.ts",
        'export default { store: 42, models: { exec: "nope:model" } };\n',
      );
      const error = await loadConfig(repo.dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).exitCode).toBe(2);
      expect((error as ConfigError).problems).toEqual([
        'store: Invalid option: expected one of "dir"|"notes"',
        'models.exec: unknown provider "nope" (known: anthropic, google, openai, claude-code, gemini-cli)',
      ]);
    });
  });

  it("turns a config that throws into a config error with the thrown message", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(
        ".spe.config.ts",
        'throw new Error("config exploded");\nexport default {};\n',
      );
      const error = await loadConfig(repo.dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual(["config exploded"]);
      expect((error as ConfigError).file).toBe(repo.path(".spe.config.ts"));
    });
  });

  it("reports invalid JSON in one line with the position", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".sperc.json", "{ store: ");
      const error = (await loadConfig(repo.dir).catch((e: unknown) => e)) as ConfigError;
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/JSON Error in .*\.sperc\.json: .*position/);
      expect(error.problems[0]).not.toContain("\n");
    });
  });

  it("writes nothing into the repository while loading a TypeScript config", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".spe.config.ts", tsConfig);
      await repo.git(["add", ".spe.config.ts"]);
      await loadConfig(repo.dir);
      expect(await repo.git(["status", "--porcelain", "--ignored", "--untracked-files=all"])).toBe(
        "A  .spe.config.ts",
      );
    });
  });
});
