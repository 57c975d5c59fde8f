/**
 * Tool calls that reach outside the worktree — `../x`, an absolute path, a symlink pointing out —
 * are refused with a tool error during a real run, and nothing outside is written.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  edit,
  goodSession,
  projectFiles,
  seedSpec,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

describe("exec: the editor tool stays in the worktree", () => {
  it("refuses ../, absolute and symlinked paths out, writes nothing there, and the run still lands", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const outside = await fs.mkdtemp(path.join(path.dirname(repo.dir), "spe-outside-"));
        try {
          // `node --test` alone would walk into the symlink, which dangles in the sandbox.
          await repo.commit("project", projectFiles({ validate: ["node --test test/"] }));
          await fs.symlink(outside, repo.path("escape"));
          await repo.commit("a symlink pointing out");
          const id = await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
          server.reply(
            "anthropic",
            edit({ command: "create", path: "../../../escaped.txt", file_text: "x" }),
            edit({ command: "create", path: path.join(outside, "absolute.txt"), file_text: "x" }),
            edit({ command: "create", path: "escape/through-link.txt", file_text: "x" }),
            ...goodSession.s1,
          );
          const result = (await exec(
            testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
            {},
          )) as ExecSummary;
          expect(result.status).toBe("merged");

          const toolResults = server
            .requestsTo("anthropic")
            .slice(1, 4)
            .map(
              (r) =>
                (
                  (r.body as { messages: { content: unknown }[] }).messages.at(-1)?.content as {
                    is_error?: boolean;
                    content?: unknown;
                  }[]
                )[0],
            );
          expect(toolResults.map((r) => r?.is_error)).toEqual([true, true, true]);
          expect(await fs.readdir(outside)).toEqual([]);
          await expect(
            fs.access(path.join(path.dirname(repo.dir), "escaped.txt")),
          ).rejects.toThrow();
          expect(id).toBeTruthy();
        } finally {
          await fs.rm(outside, { recursive: true, force: true });
        }
      });
    });
  });
});
