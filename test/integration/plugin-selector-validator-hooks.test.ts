/**
 * The must-show: a plugin written in a test (test/fixtures/probe-plugin.ts, loaded from
 * the repository's .spe.config.ts) adds a selector, a validator and lifecycle hooks, and each is
 * used. The selector picks files into `git spe context` and into the spec phase's packed context;
 * the validator fails step S1 until the model's repair adds the marker, and its output is what
 * the model is shown; the hooks record the documented order through spec, plan and exec.
 */
import { describe, expect, it } from "vitest";
import { context } from "../../src/commands/context.ts";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext, type TestCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  edit,
  mathSource,
  projectFiles,
  squareSource,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, specAnswer } from "../helpers/phase-fixtures.ts";
import { fixture, speConfigTs } from "../helpers/plugin-config.ts";
import { reviewMarker } from "../fixtures/probe-plugin.ts";

const probeLines = (ctx: TestCommandContext, prefix: string) =>
  ctx.log.lines
    .map((l) => l.text)
    .filter((t) => t.startsWith(`probe: ${prefix}`))
    .map((t) => t.slice("probe: ".length));

describe("a plugin's selector, validator and hooks", () => {
  it("are used by context, spec, plan and exec, in the documented order", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { ".sperc.json": _json, ...files } = projectFiles();
        await repo.commit("project", {
          ...files,
          "src/todo.js": "// TODO(square): add square(x) to math.js\n",
          "docs/unrelated.md": "# nothing to do with squares\n",
          ".spe.config.ts": speConfigTs({
            imports: { [fixture("probe-plugin.ts")]: ["probe"] },
            plugins: ["probe()"],
            config: {
              validate: ["npm test"],
              models: {
                spec: "google:gemini-2.5-pro",
                plan: "google:gemini-2.5-pro",
                exec: "anthropic:claude-sonnet-5-5",
              },
              exec: { worktree: { deps: "none" }, maxRepairs: 1 },
            },
          }),
        });
        const env = {
          ...geminiEnv(server.geminiBaseUrl),
          ...anthropicEnv(server.anthropicBaseUrl),
        };
        const todo = [{ name: "todo", argument: "square" }];

        // The selector in git spe context; an unknown one is a usage error naming the known ones.
        const packed = await context(testCommandContext(repo.dir, { env }), {
          selectors: { select: todo },
          format: "json",
        });
        expect(packed.files.map((f) => f.path)).toEqual(["src/todo.js"]);
        const unknown = await context(testCommandContext(repo.dir, { env }), {
          selectors: { select: [{ name: "fixme" }] },
        }).catch((e: unknown) => e);
        expect(unknown).toBeInstanceOf(SpeError);
        expect((unknown as SpeError).exitCode).toBe(2);
        expect((unknown as SpeError).message).toBe(
          '--select fixme: no plugin provides a selector "fixme"',
        );
        expect((unknown as SpeError).hints).toEqual(["Known selectors: todo (plugin probe)"]);

        // The selector in the spec phase: the packed context is what it picked.
        server.reply(
          "gemini",
          mockReply.text(JSON.stringify({ ...specAnswer, title: "Add square" })),
        );
        const specCtx = testCommandContext(repo.dir, { env });
        const made = await spec(specCtx, { request: "add square(x)", selectors: { select: todo } });
        const specRequest = server.requestsTo("gemini")[0]?.rawBody ?? "";
        expect(specRequest).toContain('<file path=\\"src/todo.js\\">');
        expect(specRequest).not.toContain('<file path=\\"src/math.js\\">');

        server.reply("gemini", mockReply.text(JSON.stringify(twoStepPlan)));
        const planCtx = testCommandContext(repo.dir, { env });
        await plan(planCtx, { id: made.id });

        // S1: the model adds square but not the marker; the validator fails the attempt and
        // the repair adds the marker. S2 writes the doc.
        const marked = squareSource.replace(
          "export function square",
          `${reviewMarker}\nexport function square`,
        );
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "src/math.js",
            old_str: mathSource,
            new_str: squareSource,
          }),
          mockReply.text("Added square."),
          edit({
            command: "str_replace",
            path: "src/math.js",
            old_str: squareSource,
            new_str: marked,
          }),
          mockReply.text("Added the review marker."),
          edit({ command: "create", path: "docs/math.md", file_text: "# math\n\n- square(x)\n" }),
          mockReply.text("Documented square."),
        );
        const execCtx = testCommandContext(repo.dir, { env });
        const result = (await exec(execCtx, { id: made.id })) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(result.steps.map((s) => s.attempts)).toEqual([2, 1]);
        expect(await repo.read("src/math.js")).toBe(marked);

        // What the model was shown on the repair: the plugin validator's failure and output.
        const body = server.requestsTo("anthropic")[2]?.body as {
          messages: { content: { text: string }[] }[];
        };
        expect(body.messages[0]?.content[0]?.text).toContain(
          `Validator probe:marker (plugin probe) failed:\n\`\`\`\nsrc/math.js lacks the line "${reviewMarker}"\n\`\`\``,
        );

        // The validator reported into the same records as the project's commands.
        const run = JSON.parse(await repo.read(`.spe/${made.id}/runs/${result.runId}.json`));
        expect(run.steps[0].attempts[0].validation).toMatchObject({
          passed: false,
          runs: [
            { command: "npm test", exitCode: 0 },
            { command: "probe:marker", plugin: "probe", exitCode: 1 },
          ],
        });
        const tree = await repo.git(["rev-parse", "main^{tree}"]);
        expect(JSON.parse(await repo.read(`.git/spe/validated/${tree}.json`))).toMatchObject({
          passed: true,
          commands: ["npm test", "probe:marker"],
        });
        expect(probeLines(execCtx, "validator")).toEqual([
          "validator marker step S1 fail",
          "validator marker step S1 ok",
          "validator marker step S2 ok",
          "validator marker final - ok",
        ]);

        // Every hook, in order, with where it acted.
        expect([
          ...probeLines(specCtx, "hook"),
          ...probeLines(planCtx, "hook"),
          ...probeLines(execCtx, "hook"),
        ]).toEqual([
          "hook spec:before - root",
          "hook spec:after - root",
          "hook plan:before - root",
          "hook plan:after - root",
          "hook exec:before - root",
          "hook worktree:ready - worktree deps=none",
          "hook step:before S1 worktree",
          "hook step:after S1 worktree validated=npm test,probe:marker",
          "hook step:before S2 worktree",
          "hook step:after S2 worktree validated=npm test,probe:marker",
          "hook merge:before - worktree",
          "hook merge:after - worktree result=fast-forward",
          "hook exec:after - root status=merged",
        ]);
      });
    });
  });
});
