/**
 * A lifecycle hook that throws stops the run at that point with an error that names the plugin
 * and the hook (exit 1, the plugin's hint kept); the user's branch is untouched and the run is
 * saved as failed; `exec --resume` runs the hook again and, once it passes, finishes the run.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  squareSource,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";
import { fixture, speConfigTs } from "../helpers/plugin-config.ts";

describe("a throwing lifecycle hook", () => {
  it("stops exec naming the plugin and hook, and --resume runs it again", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { ".sperc.json": _json, ...files } = projectFiles();
        await repo.commit("project", {
          ...files,
          ".gitignore": ".coffee\n",
          ".spe.config.ts": speConfigTs({
            imports: { [fixture("grumpy-plugin.ts")]: ["grumpy"] },
            plugins: ['grumpy("step:before", ".coffee")'],
            config: {
              validate: ["npm test"],
              models: { exec: "anthropic:claude-sonnet-5-5" },
              exec: { worktree: { deps: "none" } },
            },
          }),
        });
        const id = await seedSpec(repo);
        const main = await repo.git(["rev-parse", "main"]);
        const env = anthropicEnv(server.anthropicBaseUrl);

        const error = await exec(testCommandContext(repo.dir, { env }), {}).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toBe(
          'plugin "grumpy" failed in hook "step:before": no coffee',
        );
        expect((error as SpeError).hints).toEqual(["Make some: touch .coffee"]);
        expect(server.requestsTo("anthropic")).toHaveLength(0);
        expect(await repo.git(["rev-parse", "main"])).toBe(main);
        const runsDir = repo.path(".git", "spe", "runs", id);
        const [runFile] = await fs.readdir(runsDir);
        const saved = JSON.parse(await fs.readFile(path.join(runsDir, runFile as string), "utf8"));
        expect(saved).toMatchObject({
          status: "failed",
          message: 'plugin "grumpy" failed in hook "step:before": no coffee',
        });
        expect(saved.rows.find((r: { name: string }) => r.name === "step S1")).toMatchObject({
          status: "failed",
        });

        await repo.write(".coffee", "");
        server.reply("anthropic", ...goodSession.s1, ...goodSession.s2);
        const ctx = testCommandContext(repo.dir, { env });
        const result = (await exec(ctx, { resume: true })) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(ctx.log.lines.map((l) => l.text).filter((t) => t.startsWith("grumpy:"))).toEqual([
          "grumpy: step:before allowed",
          "grumpy: step:before allowed",
        ]);
      });
    });
  });
});
