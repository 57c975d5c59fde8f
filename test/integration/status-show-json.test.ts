/** `git spe status` and `git spe show`: the documented shapes, and clear errors. */
import { describe, expect, it } from "vitest";
import { plan } from "../../src/commands/plan.ts";
import { show } from "../../src/commands/show.ts";
import { spec } from "../../src/commands/spec.ts";
import { formatStatus, status, type StatusDetail } from "../../src/commands/status.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

describe("status and show", () => {
  it("list specs, detail one by unique prefix, and print its artifacts", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await makeProject(repo);
        expect(formatStatus(await status(testCommandContext(repo.dir)))).toEqual([
          'no specs yet: git spe spec "what you want"',
        ]);
        server.reply(
          "gemini",
          mockReply.text(JSON.stringify(specAnswer)),
          mockReply.text(JSON.stringify({ ...specAnswer, title: "Add a cube function" })),
        );
        const env = geminiEnv(server.geminiBaseUrl);
        const square = await spec(testCommandContext(repo.dir, { env }), { request: "square" });
        const cube = await spec(testCommandContext(repo.dir, { env }), {
          request: "cube",
          id: "cube",
        });
        server.reply("gemini", mockReply.text(JSON.stringify(planAnswer)));
        await plan(testCommandContext(repo.dir, { env }), { id: square.id });

        const list = (await status(testCommandContext(repo.dir))) as {
          specs: { id: string; phase: string; status: string; stale: unknown }[];
        };
        expect(list.specs.map((s) => [s.id, s.phase, s.status, s.stale])).toEqual([
          [square.id, "plan", "planned", []],
          [cube.id, "spec", "specified", null],
        ]);

        const detail = (await status(
          testCommandContext(repo.dir),
          square.id.slice(0, 12),
        )) as StatusDetail;
        expect(detail).toMatchObject({
          id: square.id,
          title: "Add a square function",
          steps: 2,
          stale: [],
          planError: null,
          artifacts: ["USER-SPEC.md", "AI-SPEC.md", "AI-PLAN.md", "state.json"],
          location: expect.stringContaining(`.spe/${square.id}`),
        });
        expect(Object.keys(detail.usage ?? {})).toEqual(["spec", "plan"]);

        expect(await show(testCommandContext(repo.dir), "cube")).toEqual({
          id: "cube",
          artifact: "spec",
          content: expect.stringContaining("# Add a cube function"),
        });
        expect((await show(testCommandContext(repo.dir), square.id, "plan")).content).toMatch(
          /^---\nspe: plan\/v1/,
        );
        const noPlan = await show(testCommandContext(repo.dir), "cube", "plan").catch(
          (e: unknown) => e,
        );
        expect((noPlan as SpeError).message).toBe("spec cube has no AI-PLAN.md yet");
        const unknown = await status(testCommandContext(repo.dir), "zzz").catch((e: unknown) => e);
        expect(unknown).toBeInstanceOf(SpeError);
        expect((unknown as SpeError).exitCode).toBe(2);
        expect((unknown as SpeError).message).toMatch(/zzz/);
      });
    });
  });
});
