/**
 * `thinking.exec` with the built-in executor (the Anthropic SDK against the mock server): every
 * turn of the step's session asks for it, the model's thinking block goes back unchanged (with
 * its signature) in the next turn as the Messages API requires during tool use, the thinking is
 * never shown as the model's words, and the run's usage counts the thinking tokens.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import {
  addSquare,
  anthropicEnv,
  projectFiles,
  seedSpec,
  squarePlan,
  squareSource,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

const thought = "Plan: add square next to add, then stop.";

describe("exec with thinking.exec", () => {
  it("asks for thinking on every turn and sends the thinking block back in the next", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles({ thinking: { exec: "medium" } }));
        const id = await seedSpec(repo, squarePlan());
        server.reply(
          "anthropic",
          { ...addSquare, thinking: thought, usage: { output: 200, thoughts: 150 } },
          mockReply.text("Added square(x).", { usage: { output: 20 } }),
        );
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const result = (await exec(ctx, {})) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(await repo.read("src/math.js")).toBe(squareSource);

        const [first, second] = server.requestsTo("anthropic");
        for (const request of [first!, second!]) {
          const body = request.body as Record<string, unknown>;
          expect(body.thinking).toEqual({ type: "adaptive" });
          expect(body.output_config).toEqual({ effort: "medium" });
        }
        const messages = (second!.body as { messages: { role: string; content: unknown }[] })
          .messages;
        const assistant = messages.find((m) => m.role === "assistant")!;
        expect((assistant.content as { type: string }[])[0]).toEqual({
          type: "thinking",
          thinking: thought,
          signature: "mock-signature-1",
        });
        // What the run shows of the model's words: never its thinking.
        // What the run shows and records of the model's words: never its thinking.
        const shown = ctx.log.lines.map((l) => l.text).join("\n");
        expect(shown).not.toContain(thought);
        const record = await fs.readFile(
          path.join(repo.dir, ".git", "spe", "runs", id, `${result.runId}.json`),
          "utf8",
        );
        expect(record).toContain("Added square(x).");
        expect(record).not.toContain(thought);
        expect(result.usage).toMatchObject({ outputTokens: 220, thinkingTokens: 150 });
        expect(shown).toMatch(/220 out \(150 thinking\)/);
      });
    });
  });
});
