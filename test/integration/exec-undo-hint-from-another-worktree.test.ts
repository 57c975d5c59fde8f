/**
 * The undo command printed after a merge names the checkout to reset when it is not the one
 * exec runs in: a run started in a linked worktree whose path is full of shell syntax, resumed
 * from the main checkout, merges into the linked worktree's branch and prints
 * `cd '<that path>' && git reset --keep <backup>`. Pasted into a shell anywhere, it puts that
 * branch back and runs nothing else.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import type { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { anthropicEnv, goodSession, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

const execFileP = promisify(execFile);

it("prints a cd to the target's checkout, shell-quoted, and the command restores the branch", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      // The notes store: the spec is seen from every worktree of the repository.
      await repo.commit("project", projectFiles({ store: "notes" }));
      const parent = await fs.mkdtemp(path.join(os.tmpdir(), "git-spe-undo-"));
      const odd = path.join(parent, `it's "odd" $(touch pwned) & more`);
      try {
        await repo.git(["worktree", "add", "-q", "-b", "feature", odd]);
        const start = await repo.git(["rev-parse", "feature"]);
        const id = await seedSpec(repo, {
          title: "Add square",
          summary: "square(x).",
          steps: [
            {
              id: "S1",
              title: "Add square",
              description: "Add `square(x)` to src/math.js.",
              files: [{ path: "src/math.js", action: "modify" }],
            },
          ],
        });
        const env = anthropicEnv(server.anthropicBaseUrl);

        // Started in the linked worktree (target: feature); both attempts do nothing and fail.
        server.reply("anthropic", mockReply.text("Nothing."), mockReply.text("Still nothing."));
        const failed = await exec(testCommandContext(odd, { env }), { id }).catch(
          (e: unknown) => e,
        );
        expect((failed as SpeError).exitCode).toBe(1);

        // Resumed from the main checkout: it merges into feature, checked out at `odd`.
        server.reply("anthropic", ...goodSession.s1);
        const ctx = testCommandContext(repo.dir, { env });
        const result = (await exec(ctx, { id, resume: true })) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(result.merge).toMatchObject({ target: "refs/heads/feature" });
        expect(await repo.git(["rev-parse", "feature~1"])).toBe(start);

        const undo = ctx.log.lines
          .map((l) => /\(undo: (.*)\)$/.exec(l.text)?.[1])
          .find((u) => u !== undefined) as string;
        expect(undo.startsWith(`cd '${odd.replace(/'/g, `'\\''`)}' && git reset --keep `)).toBe(
          true,
        );
        await execFileP("sh", ["-c", undo], { cwd: os.tmpdir() });
        expect(await repo.git(["rev-parse", "feature"])).toBe(start);
        const stray = [
          ...(await fs.readdir(parent)),
          ...(await fs.readdir(os.tmpdir())),
          ...(await fs.readdir(repo.dir)),
        ];
        expect(stray.filter((f) => f.startsWith("pwned"))).toEqual([]);
      } finally {
        await repo.git(["worktree", "remove", "--force", odd]).catch(() => undefined);
        await fs.rm(parent, { recursive: true, force: true });
      }
    });
  });
});
