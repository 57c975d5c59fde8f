/**
 * Plan paths that leave the repository or reach into git — `../`, absolute, `.git/…`, a NUL or
 * a newline — are refused wherever a plan comes from: a model's answer (repaired once, then
 * exit 1 with nothing written), `git spe plan --edit` (exit 2 naming the lines, the plan kept),
 * and an AI-PLAN.md edited by hand and then executed (exit 2 naming the lines, nothing created).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec } from "../../src/commands/exec.ts";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import {
  mockReply,
  withMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

async function specified(server: MockModelServer, repo: TestRepo) {
  await makeProject(repo);
  server.reply("gemini", mockReply.text(JSON.stringify(specAnswer)));
  const env = geminiEnv(server.geminiBaseUrl);
  const { id } = await spec(testCommandContext(repo.dir, { env }), { request: "add square" });
  return { id, env };
}

const withFiles = (files: { path: string; action: string }[]) => ({
  ...planAnswer,
  steps: [{ ...planAnswer.steps[0], files }, planAnswer.steps[1]],
});

/** Everything a refused plan must leave as it was. */
async function repoState(repo: TestRepo) {
  return {
    refs: await repo.git(["for-each-ref", "--format=%(refname) %(objectname)"]),
    index: await repo.git(["ls-files", "-s"]),
    status: await repo.git(["status", "--porcelain", "--untracked-files=all"]),
    worktrees: await repo.git(["worktree", "list", "--porcelain"]),
  };
}

const lineOf = (text: string, start: string) =>
  text.split("\n").findIndex((l) => l.startsWith(start)) + 1;

describe("hostile plan paths", () => {
  it("in a model's answer: one repair listing each, then exit 1 and no plan", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, env } = await specified(server, repo);
        const hostile = withFiles([
          { path: "/etc/passwd", action: "modify" },
          { path: ".git/hooks/pre-commit", action: "create" },
          { path: "src/a\u0000b.js", action: "create" },
          { path: "src/new\nline.js", action: "create" },
        ]);
        const again = withFiles([{ path: "src/../../outside.js", action: "modify" }]);
        server.reply(
          "gemini",
          mockReply.text(JSON.stringify(hostile)),
          mockReply.text(JSON.stringify(again)),
        );
        const error = await plan(testCommandContext(repo.dir, { env }), { id }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toBe(
          "plan: the model's plan is still not valid after one repair:\n" +
            '  steps[0].files[0].path: path "src/../../outside.js" leaves the repository ("..")',
        );
        const repair = server.requestsTo("gemini")[2]?.body;
        const asked = JSON.stringify(repair);
        for (const problem of [
          'path \\"/etc/passwd\\" is absolute',
          'path \\".git/hooks/pre-commit\\" is inside .git',
          'path \\"src/a\\\\u0000b.js\\" contains a control character',
          'path \\"src/new\\\\nline.js\\" contains a control character',
        ])
          expect(asked).toContain(problem);
        expect(await repo.exists(`.spe/${id}/AI-PLAN.md`)).toBe(false);
        expect(await repo.exists(".git/hooks/pre-commit")).toBe(false);
      });
    });
  });

  it("in plan --edit: exit 2 naming the lines, the plan unchanged", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, env } = await specified(server, repo);
        server.reply("gemini", mockReply.text(JSON.stringify(planAnswer)));
        await plan(testCommandContext(repo.dir, { env }), { id });
        const before = await repo.read(`.spe/${id}/AI-PLAN.md`);
        const line = lineOf(before, "files: modify `src/calc.js`");
        const editor = path.join(repo.path(".git"), "editor.sh");
        await fs.writeFile(
          editor,
          // Rewrites S1's files line to a path in .git and a path holding a NUL (JSON escape).
          '#!/bin/sh\nsed -i \'s|^files: modify `src/calc.js`$|files: modify ".git/hooks/pre-commit", create "a\\\\u0000b"|\' "$1"\n',
          { mode: 0o755 },
        );
        const error = await plan(testCommandContext(repo.dir, { env: { EDITOR: editor } }), {
          id,
          edit: true,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(2);
        expect((error as SpeError).message).toBe(
          "the edited plan is not valid; it was not saved:\n" +
            `AI-PLAN.md:${line}: S1 files: path ".git/hooks/pre-commit" is inside .git\n` +
            `AI-PLAN.md:${line}: S1 files: path "a\\u0000b" contains a control character`,
        );
        expect(await repo.read(`.spe/${id}/AI-PLAN.md`)).toBe(before);
        expect(await repo.exists(".git/hooks/pre-commit")).toBe(false);
      });
    });
  });

  it("in an AI-PLAN.md edited by hand: exec refuses with exit 2 and creates nothing", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, env } = await specified(server, repo);
        server.reply("gemini", mockReply.text(JSON.stringify(planAnswer)));
        await plan(testCommandContext(repo.dir, { env }), { id });
        const file = `.spe/${id}/AI-PLAN.md`;
        const edited = (await repo.read(file))
          .replace("files: modify `src/calc.js`", "files: modify `../outside.js`")
          .replace("create `test/square.test.js`", 'create "/tmp/absolute.js"');
        await repo.write(file, edited);
        const before = await repoState(repo);

        const error = await exec(testCommandContext(repo.dir), { id }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(2);
        expect((error as SpeError).message).toBe(
          `the plan of ${id} does not parse:\n` +
            `AI-PLAN.md:${lineOf(edited, "files: modify `../")}: S1 files: path "../outside.js" leaves the repository ("..")\n` +
            `AI-PLAN.md:${lineOf(edited, "files: modify `test/")}: S2 files: path "/tmp/absolute.js" is absolute; use a path relative to the repository root`,
        );
        expect((error as SpeError).hints).toEqual([`git spe plan ${id} --edit`]);
        expect(await repoState(repo)).toEqual(before);
        expect(await fs.readdir(repo.path(".git", "spe", "locks")).catch(() => [])).toEqual([]);
        expect(server.requestsTo("anthropic")).toEqual([]);
      });
    });
  });
});
