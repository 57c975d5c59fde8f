/**
 * Drift names an unplanned file a step touched. A merge whose files overlap the user's
 * uncommitted changes is refused, main untouched; once they commit, --resume merges without
 * running the steps again.
 */
import { describe, expect, it } from "vitest";
import { drift, exec, type ExecSummary } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
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
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

describe("exec: drift", () => {
  it("names an unplanned file a step touched and a planned one it did not", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const plan = {
          ...twoStepPlan,
          steps: [
            {
              ...twoStepPlan.steps[0],
              files: [
                { path: "src/math.js", action: "modify" },
                { path: "src/index.js", action: "create" },
              ],
            },
          ],
        };
        const id = await seedSpec(repo, plan);
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "src/math.js",
            old_str: mathSource,
            new_str: squareSource,
          }),
          edit({ command: "create", path: "scratch-notes.md", file_text: "thinking\n" }),
          mockReply.text("Done."),
        );
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.drift).toEqual({
          clean: false,
          steps: [
            {
              step: "S1",
              plannedUntouched: ["src/index.js"],
              unplannedTouched: ["scratch-notes.md"],
            },
          ],
        });
        const report = await drift(testCommandContext(repo.dir), id);
        expect(report.lines).toEqual([
          "drift:",
          "  S1: planned, not touched: src/index.js",
          "  S1: touched, not planned: scratch-notes.md",
          "validation changes: none",
        ]);
      });
    });
  });
});

describe("exec: the user's uncommitted changes", () => {
  it("refuses a merge that would overwrite them, then merges on --resume once they are committed", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const id = await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
        const mainBefore = await repo.git(["rev-parse", "main"]);
        await repo.write("src/math.js", `${mathSource}// my local note\n`);
        server.reply("anthropic", ...goodSession.s1);
        const env = anthropicEnv(server.anthropicBaseUrl);
        const error = await exec(testCommandContext(repo.dir, { env }), {}).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).message).toMatch(
          /^not merged: your uncommitted changes in .* touch files the run changes: src\/math\.js$/,
        );
        expect((error as SpeError).hints.join("\n")).toContain(`git spe exec ${id} --resume`);
        expect(await repo.git(["rev-parse", "main"])).toBe(mainBefore);
        expect(await repo.read("src/math.js")).toBe(`${mathSource}// my local note\n`);

        await repo.git(["checkout", "--", "src/math.js"]);
        const requests = server.requestsTo("anthropic").length;
        const resumed = (await exec(testCommandContext(repo.dir, { env }), {
          resume: true,
        })) as ExecSummary;
        expect(resumed.status).toBe("merged");
        expect(server.requestsTo("anthropic")).toHaveLength(requests);
        expect(await repo.read("src/math.js")).toBe(squareSource);
      });
    });
  });
});
