/**
 * Plugins in a `.spe.config.ts` through the built CLI: first-party plugins import from
 * "git-spe/plugins/<name>" even though the project has no git-spe in node_modules (the loader
 * resolves it to the running copy), and malformed plugin objects are refused with exit 2 and one
 * `plugins[i]…` line per problem.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("plugins in .spe.config.ts, through the CLI", () => {
  it("loads node() and python() from git-spe/plugins/* and lists their validators", async () => {
    await withGitRepo(async (repo) => {
      const { ".sperc.json": _json, ...files } = projectFiles();
      await repo.commit("project", {
        ...files,
        ".spe.config.ts": [
          'import { defineConfig } from "git-spe";',
          'import { node } from "git-spe/plugins/node";',
          'import { python } from "git-spe/plugins/python";',
          'export default defineConfig({ validate: ["npm test"], plugins: [node(), python({ validators: ["pytest"] })] });',
          "",
        ].join("\n"),
      });
      const id = await seedSpec(repo);
      const run = await runCli(["exec", id, "--dry-run"], { cwd: repo.dir });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toContain(
        "then: npm test; node:test; node:typecheck; node:lint; python:pytest, commit",
      );
    });
  });

  it("refuses malformed plugin objects with exit 2 and their plugins[i] paths", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("config", {
        ".spe.config.ts": [
          'import { defineConfig, definePlugin } from "git-spe";',
          'import { node } from "git-spe/plugins/node";',
          "const noop = () => {};",
          "export default defineConfig({",
          "  plugins: [",
          "    node(),",
          '    { name: "node" },',
          '    { name: "lint", validators: { eslint: "npx eslint ." } },',
          '    definePlugin({ name: "typo", hooks: { "step:befor": noop } } as never),',
          '    { name: "kinds", providers: { anthropic: noop }, contextProviders: { "a b": noop } },',
          '    "python",',
          "  ],",
          "});",
          "",
        ].join("\n"),
      });
      const run = await runCli(["context"], { cwd: repo.dir });
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("invalid configuration in .spe.config.ts:");
      const problems = run.stderr.split("\n").filter((l) => l.startsWith("  plugins["));
      expect(problems).toEqual([
        "  plugins[5]: must be a plugin object made with definePlugin({ name, … })",
        '  plugins[1].name: "node" is already the name of plugins[0]',
        "  plugins[2].validators.eslint: must be a function",
        "  plugins[3].hooks.step:befor: unknown hook (known: spec:before, spec:after, plan:before, plan:after, exec:before, worktree:ready, step:before, step:after, merge:before, merge:after, exec:after)",
        "  plugins[4].contextProviders.a b: a selector name is letters, digits, . _ -",
        '  plugins[4].providers.anthropic: "anthropic" is a built-in provider',
      ]);
    });
  });

  it("runs a plugin's selector with --select NAME=ARG; an unknown name exits 2", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", {
        "a.js": "// TODO(x)\n",
        "b.md": "unrelated\n",
        ".spe.config.ts": [
          'import { defineConfig, definePlugin } from "git-spe";',
          "const todo = definePlugin({",
          '  name: "t",',
          '  contextProviders: { todo: ({ argument }) => (argument === "x" ? ["a.js"] : []) },',
          "});",
          "export default defineConfig({ plugins: [todo] });",
          "",
        ].join("\n"),
      });
      const run = await runCli(["context", "--select", "todo=x", "--json"], { cwd: repo.dir });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path)).toEqual(["a.js"]);
      const unknown = await runCli(["context", "--select", "nope"], { cwd: repo.dir });
      expect(unknown.exitCode).toBe(2);
      expect(unknown.stderr).toContain(
        'error: --select nope: no plugin provides a selector "nope"',
      );
      expect(unknown.stderr).toContain("Known selectors: todo (plugin t)");
    });
  });
});
