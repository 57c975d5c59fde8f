/**
 * A step that weakens what decides "done" does not merge on its own say-so. The scripted model
 * does the step's real work (square) and, in the same step, tries one weakening: the test
 * script turned into `exit 0`, a test file deleted, `.skip` added, vitest's `exclude` widened,
 * `-k` put in pytest's addopts, the config's `validate` emptied. Each is found, named (file
 * and kind) in the refusal, main stays where it was, and `--resume --accept-validation-changes`
 * merges it with the decision in the run record and in `git spe drift`.
 */
import { describe, expect, it } from "vitest";
import { drift, exec, type ExecSummary } from "../../src/commands/exec.ts";
import { show } from "../../src/commands/show.ts";
import type { RunState } from "../../src/workflow/execute/run-state.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import {
  addSquare,
  anthropicEnv,
  bash,
  edit,
  mathSource,
  projectFiles,
  seedSpec,
  squarePlan,
  squareSource,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer, type MockAnswer } from "../helpers/mock-model-server.ts";

const testFile = "test/math.test.js";
const vitestConfig = 'export default { test: { include: ["test/**/*.test.js"] } };\n';
const pyproject = '[project]\nname = "math"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n';

interface Weakening {
  name: string;
  /** Files the project has besides projectFiles(). */
  extra?: Record<string, string>;
  /** What the model does besides adding square. */
  turns: MockAnswer[];
  /** The file and kind the refusal names. */
  expected: string;
  /** More the refusal says. */
  also?: string;
}

const weakenings: Weakening[] = [
  {
    name: "the test script becomes exit 0",
    turns: [
      edit({
        command: "str_replace",
        path: "package.json",
        old_str: '"test": "node --test"',
        new_str: '"test": "exit 0"',
      }),
    ],
    expected: 'package.json: validator script changed (scripts.test: "node --test" → "exit 0")',
  },
  {
    name: "a test file is deleted",
    turns: [bash(`rm ${testFile}`)],
    expected: `${testFile}: test deleted`,
  },
  {
    name: ".skip is added",
    turns: [
      edit({
        command: "str_replace",
        path: testFile,
        old_str: 'test("square"',
        new_str: 'test.skip("square"',
      }),
    ],
    expected: `${testFile}: test skipped (.skip added)`,
  },
  {
    name: "vitest's exclude is widened",
    extra: { "vitest.config.js": vitestConfig },
    turns: [
      edit({
        command: "str_replace",
        path: "vitest.config.js",
        old_str: '"test/**/*.test.js"] }',
        new_str: '"test/**/*.test.js"], exclude: ["test/math.test.js"] }',
      }),
    ],
    expected: "vitest.config.js: runner config changed (exclude widened",
  },
  {
    name: "pytest gets -k in addopts",
    extra: { "pyproject.toml": pyproject },
    turns: [
      edit({
        command: "str_replace",
        path: "pyproject.toml",
        old_str: 'addopts = "-q"',
        new_str: 'addopts = "-q -k not square"',
      }),
    ],
    expected: "pyproject.toml: runner config changed (addopts narrow which tests run",
  },
  {
    name: "an .npmrc makes npm run scripts with /bin/true",
    turns: [bash("printf 'script-shell=/bin/true\\n' > .npmrc && npm test")],
    expected: ".npmrc: runner config changed (added)",
    // npm test "passed" without running node --test at all: the ratchet sees that too.
    also: "npm test: fewer tests ran (2 at the base, no node --test summary now)",
  },
  {
    name: "the config's validate is emptied",
    turns: [
      bash(
        `node -e 'const fs=require("fs");const c=JSON.parse(fs.readFileSync(".sperc.json","utf8"));c.validate=[];fs.writeFileSync(".sperc.json",JSON.stringify(c))'`,
      ),
    ],
    expected: ".sperc.json: spe config changed (changed)",
  },
];

async function latestRun(repo: TestRepo, id: string): Promise<RunState> {
  const { content } = await show(testCommandContext(repo.dir), id, "run");
  return JSON.parse(content) as RunState;
}

describe("exec: validation changes hold the merge", () => {
  for (const weakening of weakenings) {
    it(`${weakening.name}: refused, named, and merged once accepted`, async () => {
      await withMockModelServer(async (server) => {
        await withGitRepo(async (repo) => {
          await repo.commit("project", { ...projectFiles(), ...weakening.extra });
          const mainBefore = await repo.git(["rev-parse", "main"]);
          const id = await seedSpec(repo, squarePlan());
          server.reply("anthropic", addSquare, ...weakening.turns, mockReply.text("Done."));
          const env = anthropicEnv(server.anthropicBaseUrl);

          const first = exec(testCommandContext(repo.dir, { env }), {});
          const error = await first.then(
            () => undefined,
            (e: unknown) => e as Error & { exitCode?: number },
          );
          expect(error?.message).toContain("not merged: the run changes what validates it");
          expect(error?.message).toContain(`S1 ${weakening.expected}`);
          if (weakening.also) expect(error?.message).toContain(weakening.also);
          expect(error?.exitCode).toBe(1);
          expect(await repo.git(["rev-parse", "main"])).toBe(mainBefore);
          expect(await repo.read("src/math.js")).toBe(mathSource);
          const held = await latestRun(repo, id);
          expect(held.status).toBe("blocked");
          expect(held.validationGate?.decision).toBeUndefined();
          const shown = (await drift(testCommandContext(repo.dir), id)).lines.join("\n");
          expect(shown).toContain(`S1 ${weakening.expected}`);
          expect(shown).toContain("--resume --accept-validation-changes");

          // Without the flag (and nobody at a terminal) a resume is held again.
          if (weakening === weakenings[0])
            await expect(
              exec(testCommandContext(repo.dir, { env }), { resume: true }),
            ).rejects.toThrow(/not merged: the run changes what validates it/);
          expect(await repo.git(["rev-parse", "main"])).toBe(mainBefore);

          const accepted = (await exec(testCommandContext(repo.dir, { env }), {
            resume: true,
            acceptValidationChanges: true,
          })) as ExecSummary;
          expect(accepted.status).toBe("merged");
          expect(await repo.read("src/math.js")).toBe(squareSource);
          const record = await latestRun(repo, id);
          expect(record.validationGate?.decision).toMatchObject({
            accepted: true,
            by: "--accept-validation-changes",
          });
          expect(
            record.validationGate?.decision?.changes.map((c) => `${c.step} ${c.path}: ${c.kind}`),
          ).toContain(`S1 ${weakening.expected.split(" (")[0]}`);
          const after = (await drift(testCommandContext(repo.dir), id)).lines.join("\n");
          expect(after).toMatch(/accepted \(--accept-validation-changes\) at \d{4}-/);
          // The model saw only one step's worth of requests: the resumes did not call it again.
          expect(server.requestsTo("anthropic")).toHaveLength(weakening.turns.length + 2);
        });
      });
    });
  }

  it("validates with the commands the run started with, not the worktree's config", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        await seedSpec(repo, squarePlan());
        // The model empties validate in the worktree's config and adds nothing: if the
        // worktree's config counted, the step would pass with no validators.
        server.reply(
          "anthropic",
          bash(`printf '{"validate":[]}' > .sperc.json`),
          mockReply.text("Done."),
          mockReply.text("Still done."),
        );
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        await expect(exec(ctx, {})).rejects.toThrow(
          /still fails validation after 2 attempt\(s\): npm test/,
        );
      });
    });
  });
});
