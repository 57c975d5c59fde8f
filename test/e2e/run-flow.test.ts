/** `git spe run "request" --yes`: spec, plan, review (skipped under --yes), exec, through the CLI. */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  squareSource,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, specAnswer } from "../helpers/phase-fixtures.ts";

describe("git spe run", () => {
  it("goes from a request to a merged, validated change", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        server.reply(
          "gemini",
          mockReply.text(JSON.stringify(specAnswer)),
          mockReply.text(JSON.stringify(twoStepPlan)),
        );
        server.reply("anthropic", ...goodSession.s1, ...goodSession.s2);
        const env = {
          ...geminiEnv(server.geminiBaseUrl),
          ...anthropicEnv(server.anthropicBaseUrl),
        };
        const result = await runCli(["run", "add a square function", "--yes", "--json"], {
          cwd: repo.dir,
          env,
        });
        expect(result.exitCode, result.stderr).toBe(0);
        const out = JSON.parse(result.stdout) as {
          id: string;
          executed: boolean;
          exec: { status: string };
        };
        expect(out).toMatchObject({ executed: true, exec: { status: "merged" } });
        expect(result.stderr).toContain("## S1: Add square");
        expect(result.stderr).toMatch(
          /S1 "Add square": committed [0-9a-f]{12} \(validated: npm test\)/,
        );
        expect(result.stderr).toContain("exec: merged into main");
        expect(await repo.read("src/math.js")).toBe(squareSource);
      });
    });
  });
});
