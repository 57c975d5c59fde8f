/**
 * What a validation change does not hold: a step that adds tests or edits a test it declared
 * merges as usual; a test deleted with a reason in the plan merges and is recorded as declared;
 * on a terminal the user is asked, and the answer (yes merges, no holds) is recorded.
 */
import { describe, expect, it } from "vitest";
import { drift, exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import {
  addSquare,
  anthropicEnv,
  bash,
  edit,
  projectFiles,
  seedSpec,
  squarePlan,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

const testFile = "test/math.test.js";

describe("exec: validation changes that do not hold the merge", () => {
  it("a step that adds a test file and edits a test it declared merges", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const id = await seedSpec(
          repo,
          squarePlan([
            { path: testFile, action: "modify" },
            { path: "test/square.test.js", action: "create" },
          ]),
        );
        server.reply(
          "anthropic",
          addSquare,
          edit({
            command: "str_replace",
            path: testFile,
            old_str: "math.square?.(3), 9));",
            new_str:
              'math.square(3), 9));\ntest("square of 0", () => assert.equal(math.square(0), 0));',
          }),
          edit({
            command: "create",
            path: "test/square.test.js",
            file_text:
              'import test from "node:test";\nimport assert from "node:assert/strict";\nimport { square } from "../src/math.js";\n\ntest("negative", () => assert.equal(square(-2), 4));\n',
          }),
          mockReply.text("Done."),
        );
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(result.validationChanges?.changes).toEqual([]);
        expect(result.validationChanges?.decision).toBeUndefined();
        expect((await drift(testCommandContext(repo.dir), id)).lines).toContain(
          "validation changes: none",
        );
        expect(await repo.read("test/square.test.js")).toContain("negative");
      });
    });
  });

  it("a test deleted with a reason in the plan merges, recorded as declared", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", {
          ...projectFiles(),
          "test/legacy.test.js": 'import test from "node:test";\ntest("legacy", () => {});\n',
        });
        const reason = "the legacy module it tests is gone";
        const id = await seedSpec(
          repo,
          squarePlan([{ path: "test/legacy.test.js", action: "delete", reason }]),
        );
        server.reply(
          "anthropic",
          addSquare,
          bash("rm test/legacy.test.js"),
          mockReply.text("Done."),
        );
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const result = (await exec(ctx, {})) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(result.validationChanges?.changes).toEqual([
          {
            step: "S1",
            path: "test/legacy.test.js",
            kind: "test deleted",
            detail: "",
            declared: reason,
          },
          // The test it held no longer runs: declared with it.
          {
            command: "npm test",
            kind: "fewer tests ran",
            detail: "3 at the base, 2 now (node --test)",
            declared: reason,
          },
        ]);
        expect(ctx.log.lines.map((l) => l.text)).toContain(
          `validation change declared in the plan: S1 test/legacy.test.js: test deleted — declared: ${reason}`,
        );
        expect((await drift(testCommandContext(repo.dir), id)).lines).toContain(
          `  S1 test/legacy.test.js: test deleted — declared: ${reason}`,
        );
      });
    });
  });

  it("on a terminal the user is asked: no holds the run, yes (on resume) merges it", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const main = await repo.git(["rev-parse", "main"]);
        const id = await seedSpec(repo, squarePlan([]));
        server.reply(
          "anthropic",
          addSquare,
          edit({
            command: "str_replace",
            path: testFile,
            old_str: 'test("add"',
            new_str: 'test.skip("add"',
          }),
          mockReply.text("Done."),
        );
        const env = anthropicEnv(server.anthropicBaseUrl);
        const questions: string[] = [];
        const answering = (answer: boolean) => ({
          ...testCommandContext(repo.dir, { env }),
          yes: false,
          confirm: async (question: string) => {
            questions.push(question);
            return answer;
          },
        });
        await expect(exec(answering(false), {})).rejects.toThrow(
          /not merged: the run changes what validates it[^]*S1 test\/math\.test\.js: test skipped \(\.skip added\)/,
        );
        expect(questions).toEqual([
          "The run changes what validates it (2 change(s) above). Merge anyway?",
        ]);
        expect(await repo.git(["rev-parse", "main"])).toBe(main);
        expect((await drift(testCommandContext(repo.dir), id)).lines.join("\n")).toMatch(
          /refused \(on the terminal\) at \d{4}-/,
        );

        const result = (await exec(answering(true), { resume: true })) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(questions).toHaveLength(2);
        expect(result.validationChanges?.decision).toMatchObject({
          accepted: true,
          by: "terminal",
        });
        expect(await repo.read(testFile)).toContain('test.skip("add"');
      });
    });
  });

  it("--accept-validation-changes without --resume is refused before anything runs", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      await seedSpec(repo, squarePlan([]));
      const error = await exec(testCommandContext(repo.dir), {
        acceptValidationChanges: true,
      }).then(
        () => undefined,
        (e: unknown) => e as Error & { exitCode?: number },
      );
      expect(error?.message).toBe(
        "--accept-validation-changes accepts the changes a stopped run showed you; use it with --resume",
      );
      expect(error?.exitCode).toBe(2);
      expect(await repo.git(["branch", "--list", "spe/*"])).toBe("");
    });
  });
});
