/**
 * A plan goes stale when a file it cites changes after it was made; status names the file.
 * An edit that breaks the plan is refused with its line and kept; a good edit is saved.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { status, type StatusDetail } from "../../src/commands/status.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import {
  mockReply,
  withMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

async function planned(server: MockModelServer, repo: TestRepo) {
  await makeProject(repo);
  server.reply(
    "gemini",
    mockReply.text(JSON.stringify(specAnswer)),
    mockReply.text(JSON.stringify(planAnswer)),
  );
  const env = geminiEnv(server.geminiBaseUrl);
  const { id } = await spec(testCommandContext(repo.dir, { env }), { request: "add square" });
  await plan(testCommandContext(repo.dir, { env }), { id });
  return { id, env };
}

async function editor(dir: string, script: string): Promise<string> {
  const file = path.join(dir, "editor.sh");
  await fs.writeFile(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

describe("stale plans", () => {
  it("are reported with the files that moved since the plan", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id } = await planned(server, repo);
        const fresh = (await status(testCommandContext(repo.dir), id)) as StatusDetail;
        expect(fresh.stale).toEqual([]);
        await repo.commit("someone else edits calc", {
          "src/calc.js": "export const add = (a, b) => a + b;\n",
          "test/square.test.js": "// new\n",
        });
        const stale = (await status(testCommandContext(repo.dir), id)) as StatusDetail;
        expect(stale.stale?.map((s) => s.path).sort()).toEqual([
          "src/calc.js",
          "test/square.test.js",
        ]);
        const list = (await status(testCommandContext(repo.dir))) as {
          specs: { id: string; stale: unknown[] }[];
        };
        expect(list.specs).toEqual([
          expect.objectContaining({
            id,
            stale: expect.arrayContaining([expect.objectContaining({ path: "src/calc.js" })]),
          }),
        ]);
      });
    });
  });
});

describe("plan --edit", () => {
  it("refuses an edit that breaks the plan, naming the line, and keeps the edit", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id } = await planned(server, repo);
        const before = await repo.read(`.spe/${id}/AI-PLAN.md`);
        const line =
          before.split("\n").findIndex((l) => l.startsWith("files: modify `src/calc.js`")) + 1;
        const breaker = await editor(
          repo.path(".git"),
          `sed -i 's/^files: modify \`src\\/calc.js\`/files: edit \`src\\/calc.js\`/' "$1"`,
        );
        const error = await plan(testCommandContext(repo.dir, { env: { EDITOR: breaker } }), {
          id,
          edit: true,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(2);
        expect((error as SpeError).message).toContain(
          `AI-PLAN.md:${line}: S1 files: expected "create", "modify" or "delete"`,
        );
        expect(await repo.read(`.spe/${id}/AI-PLAN.md`)).toBe(before);
        const kept = (error as SpeError).hints[0]?.match(/kept in (\S+);/)?.[1] ?? "";
        expect(await fs.readFile(kept, "utf8")).toContain("files: edit `src/calc.js`");

        // The next --edit starts from the kept edit; fixing it saves the plan.
        const fixer = await editor(
          repo.path(".git"),
          `sed -i 's/^files: edit /files: modify /; s/^# Add square to calc/# Add square, edited/' "$1"`,
        );
        const saved = await plan(testCommandContext(repo.dir, { env: { EDITOR: fixer } }), {
          id,
          edit: true,
        });
        expect(saved.edited?.steps).toBe(2);
        expect(await repo.read(`.spe/${id}/AI-PLAN.md`)).toContain("# Add square, edited");
        await expect(fs.access(kept)).rejects.toThrow();
      });
    });
  });
});
