/**
 * The test-count ratchet with real runners: vitest (this project's own, run from a temporary
 * project) and pytest. The scripted model drops a parametrized case — no file deleted, no
 * marker, the same number of test declarations — so only the counts can tell: the run is held
 * before merging, and the counts of every validation are in `git spe show ID run --json`.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { abort, exec } from "../../src/commands/exec.ts";
import { show } from "../../src/commands/show.ts";
import type { RunState } from "../../src/workflow/execute/run-state.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { anthropicEnv, edit, seedSpec } from "../helpers/exec-fixtures.ts";
import { projectRoot, withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { speConfigTs } from "../helpers/plugin-config.ts";

const vitestBin = path.join(projectRoot, "node_modules", "vitest", "vitest.mjs");

/** A python3 that has pytest: the one on PATH, else Debian's (.ci/run installs python3-pytest). */
function pythonWithPytest(): string {
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      execFileSync(python, ["-m", "pytest", "--version"], { stdio: "ignore" });
      return python;
    } catch {
      // try the next one
    }
  }
  throw new Error("no python3 with pytest here: apt-get install python3-pytest (as .ci/run does)");
}

const oneStep = (file: string) => ({
  title: "Tidy the cases",
  summary: "Rename a case.",
  steps: [
    {
      id: "S1",
      title: "Tidy the cases",
      description: `Tidy ${file}.`,
      files: [{ path: file, action: "modify" as const }],
    },
  ],
});

async function runRecord(repo: TestRepo, id: string): Promise<RunState> {
  const result = await show(testCommandContext(repo.dir, { json: true }), id, "run");
  return JSON.parse(result.content) as RunState;
}

async function heldRun(
  repo: TestRepo,
  baseUrl: string,
  id: string,
): Promise<{ message: string; record: RunState }> {
  const main = await repo.git(["rev-parse", "main"]);
  const error = await exec(testCommandContext(repo.dir, { env: anthropicEnv(baseUrl) }), {}).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(await repo.git(["rev-parse", "main"])).toBe(main);
  return { message: error?.message ?? "(it merged)", record: await runRecord(repo, id) };
}

// Real runners (vitest, pytest) run on the base and after the step: more than the 30 s default
// when the machine is busy.
describe("exec: the test-count ratchet", { timeout: 90_000 }, () => {
  it("vitest: a dropped case holds the merge; the counts are in the run record", async () => {
    const cases = (list: string) =>
      `import { expect, it } from "vitest";\n\nfor (const n of [${list}]) {\n  it(\`doubles \${n}\`, () => expect(n * 2).toBe(n + n));\n}\n`;
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", {
          "package.json": '{ "name": "cases", "type": "module" }\n',
          "cases.test.js": cases("1, 2, 3"),
          ".sperc.json": JSON.stringify({
            validate: [`node ${JSON.stringify(vitestBin)} run --reporter=default`],
            models: { exec: "anthropic:claude-sonnet-5-5" },
            exec: {
              worktree: { deps: "none" },
              maxRepairs: 0,
              // This project's vitest, readable in the sandbox wherever the clone is (/tmp too).
              sandbox: { read: [path.join(projectRoot, "node_modules")] },
            },
          }),
        });
        const id = await seedSpec(repo, oneStep("cases.test.js"));
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "cases.test.js",
            old_str: "1, 2, 3",
            new_str: "1, 2",
          }),
          mockReply.text("Tidied."),
        );
        const { message, record } = await heldRun(repo, server.anthropicBaseUrl, id);
        expect(message).toMatch(/fewer tests ran \(3 at the base, 2 now \(vitest\)\)/);
        expect(record.finalValidation?.runs[0]?.tests).toEqual({
          runner: "vitest",
          passed: 2,
          failed: 0,
          skipped: 0,
        });
        expect(record.steps[0]?.attempts[0]?.validation?.runs[0]?.tests?.passed).toBe(2);
        expect(record.validationGate?.baseline?.runs[0]?.tests).toEqual({
          runner: "vitest",
          passed: 3,
          failed: 0,
          skipped: 0,
        });
        // No static change to show: the file still declares one `it(` and no marker.
        expect(record.steps[0]?.validationChanges).toEqual([]);
      });
    });
  });

  it("pytest: a dropped parametrized case holds the merge; adding one does not", async () => {
    const python = pythonWithPytest();
    const cases = (list: string) =>
      `import pytest\n\n\n@pytest.mark.parametrize("n", [${list}])\ndef test_doubles(n):\n    assert n * 2 == n + n\n`;
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", {
          "tests/test_cases.py": cases("1, 2, 3"),
          ".gitignore": "__pycache__/\n.pytest_cache/\n",
          ".sperc.json": JSON.stringify({
            validate: [`${python} -m pytest -p no:cacheprovider tests`],
            models: { exec: "anthropic:claude-sonnet-5-5" },
            exec: { worktree: { deps: "none" }, maxRepairs: 0 },
          }),
        });
        const dropped = await seedSpec(repo, oneStep("tests/test_cases.py"), "20261206-drop");
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "tests/test_cases.py",
            old_str: "1, 2, 3",
            new_str: "1, 3",
          }),
          mockReply.text("Tidied."),
        );
        const { message, record } = await heldRun(repo, server.anthropicBaseUrl, dropped);
        expect(message).toMatch(/fewer tests ran \(3 at the base, 2 now \(pytest\)\)/);
        expect(record.finalValidation?.runs[0]?.tests).toEqual({
          runner: "pytest",
          passed: 2,
          failed: 0,
          skipped: 0,
        });
        await abort(testCommandContext(repo.dir), dropped);

        // One more case is fine: the run merges, the baseline was read from the tree's record.
        const added = await seedSpec(repo, oneStep("tests/test_cases.py"), "20261206-add");
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "tests/test_cases.py",
            old_str: "1, 2, 3",
            new_str: "1, 2, 3, 4",
          }),
          mockReply.text("Added a case."),
        );
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const result = await exec(ctx, { id: added });
        expect(result).toMatchObject({ status: "merged" });
        const merged = await runRecord(repo, added);
        expect(merged.validationGate?.changes).toEqual([]);
        expect(merged.finalValidation?.runs[0]?.tests?.passed).toBe(4);
        expect(merged.validationGate?.baseline?.runs[0]?.tests?.passed).toBe(3);
        expect(ctx.log.lines.map((l) => l.text).join("\n")).not.toContain("validating the base");
      });
    });
  });

  it("pytest: code that ends the test process early with status 0 holds the merge", async () => {
    // Nothing a path-based check can see: the model edits the code under test, not a test or a
    // config, and pytest exits 0 before it has run (or reported) anything.
    const python = pythonWithPytest();
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", {
          "calc.py": "def double(n):\n    return n + n\n",
          "tests/test_calc.py":
            "from calc import double\n\n\ndef test_one():\n    assert double(1) == 2\n\n\ndef test_two():\n    assert double(2) == 4\n",
          ".gitignore": "__pycache__/\n",
          ".sperc.json": JSON.stringify({
            validate: [`${python} -m pytest -p no:cacheprovider tests`],
            models: { exec: "anthropic:claude-sonnet-5-5" },
            exec: { worktree: { deps: "none" }, maxRepairs: 0 },
          }),
        });
        const id = await seedSpec(repo, oneStep("calc.py"));
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "calc.py",
            old_str: "def double",
            new_str: "import os\n\nos._exit(0)\n\n\ndef double",
          }),
          mockReply.text("Tidied."),
        );
        const { message, record } = await heldRun(repo, server.anthropicBaseUrl, id);
        expect(record.finalValidation?.passed).toBe(true);
        expect(record.steps[0]?.validationChanges).toEqual([]);
        expect(message).toMatch(/fewer tests ran \(2 at the base, no pytest summary now\)/);
      });
    });
  });

  it("a plugin's protected paths and count reader; .spe.config.ts emptied", async () => {
    const checks = (list: string) =>
      `const checks = [${list}];\nfor (const c of checks) if (c !== c) process.exit(1);\nconsole.log(\`CHECKS \${checks.length} ok\`);\n`;
    const plugin = `definePlugin({
      name: "checks",
      protect: ["golden/**"],
      testCounts: (output) => {
        const m = /^CHECKS (\\d+) ok$/m.exec(output);
        return m ? { runner: "checks", passed: Number(m[1]), failed: 0, skipped: 0 } : undefined;
      },
    })`;
    const config = (validate: string[]) =>
      speConfigTs({
        imports: { "git-spe": ["definePlugin"] },
        plugins: [plugin],
        config: {
          validate,
          models: { exec: "anthropic:claude-sonnet-5-5" },
          exec: { worktree: { deps: "none" }, maxRepairs: 0 },
        },
      });
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", {
          "checks.mjs": checks("1, 2, 3"),
          "golden/expected.txt": "three\n",
          ".spe.config.ts": config(["node checks.mjs"]),
        });
        const id = await seedSpec(repo, oneStep("checks.mjs"));
        server.reply(
          "anthropic",
          edit({ command: "str_replace", path: "checks.mjs", old_str: "1, 2, 3", new_str: "1, 2" }),
          edit({ command: "create", path: "golden/expected.txt", file_text: "two\n" }),
          edit({ command: "create", path: ".spe.config.ts", file_text: config([]) }),
          mockReply.text("Tidied."),
        );
        const { message, record } = await heldRun(repo, server.anthropicBaseUrl, id);
        expect(message).toContain("S1 golden/expected.txt: protected file changed (changed)");
        expect(message).toContain("S1 .spe.config.ts: spe config changed (changed)");
        expect(message).toContain(
          "node checks.mjs: fewer tests ran (3 at the base, 2 now (checks))",
        );
        expect(record.finalValidation?.runs[0]).toMatchObject({
          command: "node checks.mjs",
          tests: { runner: "checks", passed: 2 },
        });
      });
    });
  });
});
