/**
 * The built CLI against a model whose stream goes silent mid-step (the connection stays open):
 * `providers.anthropic.timeoutSec` stops the wait, the process exits 1 on its own with one
 * error line and the resume/abort hints (no stack trace, no key), `--json` says the same on
 * stdout, and main is untouched.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  mathSource,
  projectFiles,
  seedSpec,
} from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

describe("git spe exec with a model that goes silent", () => {
  it("exits 1 after timeoutSec with one error line and how to resume", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit(
          "project",
          projectFiles({ providers: { anthropic: { timeoutSec: 0.5, maxRetries: 0 } } }),
        );
        const id = await seedSpec(repo);
        const main = await repo.git(["rev-parse", "main"]);
        server.reply(
          "anthropic",
          goodSession.s1[0]!,
          mockReply.text("Now the tests…", { stallAfterEvents: 4 }),
        );
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH,
          ...anthropicEnv(server.anthropicBaseUrl),
        };
        const result = await runCli(["exec", "--json"], { cwd: repo.dir, env });

        expect(result.exitCode, result.stderr).toBe(1);
        const message =
          "anthropic: the answer stream was cut off before it finished (no data for 0.5 s); no partial answer is used";
        const lines = result.stderr.split("\n");
        expect(lines.filter((l) => l.startsWith("error: "))).toEqual([`error: ${message}`]);
        expect(lines).toContain(
          `hint: Resume: git spe exec ${id} --resume  (your own fixes in the worktree are validated first)`,
        );
        expect(lines).toContain(`hint: Abort: git spe abort ${id}`);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.stderr + result.stdout).not.toContain(String(env.ANTHROPIC_API_KEY));
        const json = JSON.parse(result.stdout) as {
          ok: boolean;
          error: { kind: string; message: string; exitCode: number; hints: string[] };
        };
        expect(json).toMatchObject({ ok: false, error: { kind: "failed", message, exitCode: 1 } });
        expect(json.error.hints).toHaveLength(3);
        expect(await repo.git(["rev-parse", "main"])).toBe(main);
        expect(await repo.read("src/math.js")).toBe(mathSource);
      });
    });
  });
});
