/**
 * Around a run: --dry-run changes nothing; a stale plan is refused; a second exec of a spec in
 * progress is refused; abort removes what a failed run left (saying so) and keeps its attempts;
 * --resume after a fix made by hand commits the fix without asking the model again; a squash
 * merge with the notes store lands one commit and attaches the run record to it.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { abort, exec, type ExecSummary } from "../../src/commands/exec.ts";
import type { SpeError } from "../../src/errors.ts";
import { acquireFileLock } from "../../src/util/file-lock.ts";
import { specLockPath } from "../../src/workflow/execute/exec.ts";
import type { DryRun } from "../../src/workflow/execute/dry-run.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  edit,
  goodSession,
  mathSource,
  projectFiles,
  seedSpec,
  squareSource,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import {
  mockReply,
  withMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

const oneStep = { ...twoStepPlan, steps: [twoStepPlan.steps[0]] };
const wrongSquare = `${mathSource}\nexport function square(x) {\n  return x * 2;\n}\n`;

/** A one-step run whose attempts keep a wrong square(): it stops with exit 1, worktree kept. */
async function failOneStepRun(repo: TestRepo, server: MockModelServer) {
  await repo.commit("project", projectFiles());
  const id = await seedSpec(repo, oneStep);
  server.reply(
    "anthropic",
    edit({
      command: "str_replace",
      path: "src/math.js",
      old_str: mathSource,
      new_str: wrongSquare,
    }),
    mockReply.text("x"),
    mockReply.text("no change"),
  );
  const env = anthropicEnv(server.anthropicBaseUrl);
  const error = await exec(testCommandContext(repo.dir, { env }), {}).catch((e: unknown) => e);
  expect((error as SpeError).exitCode).toBe(1);
  return { id, env };
}

async function gitState(repo: TestRepo) {
  return {
    refs: await repo.git(["for-each-ref", "--format=%(refname) %(objectname)"]),
    worktrees: await repo.git(["worktree", "list", "--porcelain"]),
    status: await repo.git(["status", "--porcelain", "--untracked-files=all"]),
    speDir: await fs.readdir(repo.path(".git", "spe")).catch(() => []),
  };
}

describe("exec lifecycle", () => {
  it("--dry-run says what would run and changes nothing; a stale plan is refused", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      const id = await seedSpec(repo);
      const before = await gitState(repo);
      const plan = (await exec(testCommandContext(repo.dir), { dryRun: true })) as DryRun;
      expect(plan).toMatchObject({
        specId: id,
        branch: `spe/${id}`,
        merge: "ff",
        target: "refs/heads/main",
        stale: [],
      });
      expect(plan.steps.map((s) => s.validate)).toEqual([["npm test"], ["npm test"]]);
      expect(await gitState(repo)).toEqual(before);

      await repo.commit("someone edits math", { "src/math.js": "// moved\n" });
      const error = await exec(testCommandContext(repo.dir), {}).catch((e: unknown) => e);
      expect((error as SpeError).exitCode).toBe(2);
      expect((error as SpeError).message).toBe(
        `the plan of ${id} is stale: files it cites changed since it was made:\n  src/math.js: changed since the plan`,
      );
      expect((error as SpeError).hints).toContain(
        `Or run it on the commit it was made against: git spe exec ${id} --force`,
      );
    });
  });

  it("refuses a second exec of a spec that is running", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      const id = await seedSpec(repo);
      const lock = await acquireFileLock(specLockPath(repo.path(".git"), id), {
        timeoutMs: 0,
        busy: () => new Error("busy"),
      });
      try {
        const error = await exec(testCommandContext(repo.dir), {}).catch((e: unknown) => e);
        expect((error as SpeError).message).toBe(
          `spec ${id} is already being executed (git spe, pid ${process.pid})`,
        );
        expect((error as SpeError).exitCode).toBe(1);
      } finally {
        await lock.release();
      }
    });
  });

  it("aborts a failed run, saying what it removes, keeping its attempts", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, env } = await failOneStepRun(repo, server);
        const worktree = path.join(repo.path(".git"), "spe", "worktrees", id);
        expect(await fs.stat(worktree)).toBeTruthy();

        const ctx = testCommandContext(repo.dir);
        const result = await abort(ctx, id);
        expect(result.removed[0]).toBe(`worktree ${worktree}`);
        expect(result.removed[1]).toMatch(
          new RegExp(
            `^branch spe/${id} \\(at [0-9a-f]{12}; recover with: git branch spe/${id} [0-9a-f]{40}\\)$`,
          ),
        );
        expect(ctx.log.lines.map((l) => l.text)).toContain(`  worktree ${worktree}`);
        await expect(fs.access(worktree)).rejects.toThrow();
        expect(
          await repo.gitRaw(["rev-parse", "--verify", "--quiet", `refs/heads/spe/${id}`]),
        ).toMatchObject({ exitCode: 1 });
        expect(
          await repo.git(["for-each-ref", "--format=%(refname)", "refs/spe/attempts"]),
        ).toMatch(/S1\/1\nrefs\/spe\/attempts\/.*S1\/2$/);
        // The spec can run again.
        server.reply("anthropic", ...goodSession.s1);
        expect(
          ((await exec(testCommandContext(repo.dir, { env }), {})) as ExecSummary).status,
        ).toBe("merged");
      });
    });
  });

  it("--resume validates a fix made by hand in the worktree and commits it without the model", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, env } = await failOneStepRun(repo, server);
        const calls = server.requestsTo("anthropic").length;
        await fs.writeFile(
          path.join(repo.path(".git"), "spe", "worktrees", id, "src", "math.js"),
          squareSource,
        );
        const resumed = (await exec(testCommandContext(repo.dir, { env }), {
          resume: true,
        })) as ExecSummary;
        expect(resumed.status).toBe("merged");
        expect(server.requestsTo("anthropic")).toHaveLength(calls);
        expect(await repo.read("src/math.js")).toBe(squareSource);
      });
    });
  });

  it("squash-merges with the notes store and attaches the run record to the commit", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles({ store: "notes" }));
        const id = await seedSpec(repo);
        server.reply("anthropic", ...goodSession.s1, ...goodSession.s2);
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          { merge: "squash" },
        )) as ExecSummary;
        expect(result.merge).toMatchObject({ result: "squashed" });
        expect((await repo.git(["log", "-1", "--format=%B", "main"])).trim()).toBe(
          `Add square\n\n- S1: Add square\n- S2: Document square\n\nSpe-Spec: ${id}\nSpe-Run: ${result.runId}`,
        );
        expect(await repo.git(["rev-list", "--count", "main"])).toBe("3");
        const note = await repo.git(["notes", "--ref=refs/notes/spe", "show", "main"]);
        expect(JSON.parse(note.split("\n")[0] ?? "{}").runs[result.runId]).toMatchObject({
          status: "merged",
          specId: id,
        });
        // The step commits survive on the branch, which squash keeps.
        expect(await repo.git(["log", "--format=%s", `spe/${id}`, "-2"])).toBe(
          "S2: Document square\nS1: Add square",
        );
      });
    });
  });
});
