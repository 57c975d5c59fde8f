/**
 * `exec --parallel N`: independent steps run at once, each in its own lane, and land on the run's
 * branch in plan order; a step waits for the steps it depends on; a conflict on landing runs the
 * step again from the tip; a step that depends on a failed step is never started, and --resume
 * finishes the run. The scripted model answers each request by the step it is for.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import type { SpeError } from "../../src/errors.ts";
import type { DryRun } from "../../src/workflow/execute/dry-run.ts";
import type { MockReply, RecordedRequest } from "../../src/mock-model/types.ts";
import { listRuns } from "../../src/workflow/execute/run-state.ts";
import { readTreeValidation } from "../../src/workflow/validation-records.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import {
  addSquare,
  anthropicEnv,
  edit,
  mathSource,
  projectFiles,
  seedSpec,
  squareSource,
  wrongSquareSource,
} from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { fixture, speConfigTs } from "../helpers/plugin-config.ts";

type Sessions = Record<string, MockReply[][]>;

/** The step a request is for, and how many model turns its session has had. */
function stepOf(request: RecordedRequest): { step: string; turn: number } {
  const body = request.body as { messages: { role: string; content: unknown }[] };
  const first = JSON.stringify(body.messages[0]?.content ?? "");
  const step = /# Your step: (S\d+)/.exec(first)?.[1] ?? "?";
  return { step, turn: body.messages.filter((m) => m.role === "assistant").length };
}

/**
 * Answers each step's sessions in turn (a new session starts at turn 0). `hold` keeps the first
 * request of a step waiting until every step it names has asked too (or 20 s passed): with the
 * steps in flight together that is at once, one after another it never happens.
 */
function byStep(sessions: Sessions, hold: Record<string, string[]> = {}) {
  const started = new Map<string, number>();
  const asked = new Set<string>();
  const waiters: (() => void)[] = [];
  const overlapped = new Set<string>();
  const handler = async (request: RecordedRequest): Promise<MockReply> => {
    const { step, turn } = stepOf(request);
    if (turn === 0) {
      started.set(step, (started.get(step) ?? 0) + 1);
      asked.add(step);
      for (const wake of waiters.splice(0)) wake();
      const others = hold[step];
      if (others && started.get(step) === 1) {
        const deadline = Date.now() + 20_000;
        while (!others.every((o) => asked.has(o)) && Date.now() < deadline)
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, 200);
          });
        if (others.every((o) => asked.has(o))) overlapped.add(step);
      }
    }
    const session = sessions[step]?.[(started.get(step) ?? 1) - 1];
    return session?.[turn] ?? mockReply.text(`no script for ${step} turn ${turn}`);
  };
  return { handler, started, overlapped };
}

const create = (file: string, text: string) =>
  edit({ command: "create", path: file, file_text: text });

const step = (id: string, file: string, action: "create" | "modify", dependsOn?: string[]) => ({
  id,
  title: `Step ${id}`,
  description: `Change ${file}.`,
  files: [{ path: file, action }],
  ...(dependsOn ? { dependsOn } : {}),
});

/** The project, with tests that pass on the base (square is checked by S1's own command). */
const project = (): Record<string, string> => ({
  ...projectFiles(),
  "test/math.test.js":
    'import test from "node:test";\nimport assert from "node:assert/strict";\nimport { add } from "../src/math.js";\n\ntest("add", () => assert.equal(add(2, 3), 5));\n',
  "check/square.js":
    'import { square } from "../src/math.js";\nif (square?.(3) !== 9) throw new Error("square(3) is not 9");\n',
});

/** The branch's history as it landed: first parents only (a merged landing is one entry). */
/** S1 adding square to src/math.js, checked by its own command. */
const squareStep = { ...step("S1", "src/math.js", "modify"), validate: ["node check/square.js"] };

/**
 * S1's sessions: two attempts (maxRepairs 1), both wrong; resumed, what they left fails again
 * and is put aside, and a fresh session gets it right.
 */
const wrongTwiceThenRight = (): MockReply[][] => [
  [
    edit({
      command: "str_replace",
      path: "src/math.js",
      old_str: mathSource,
      new_str: wrongSquareSource,
    }),
    mockReply.text("x+x"),
  ],
  [mockReply.text("still x+x")],
  [addSquare, mockReply.text("x*x")],
];

async function runLog(repo: TestRepo, from: string, to: string): Promise<string[]> {
  return (
    await repo.git(["log", "--first-parent", "--reverse", "--format=%s", `${from}..${to}`])
  ).split("\n");
}

/** Every Spe-Spec commit's exact tree has a passing validation record (what pre-push asks). */
async function expectStepTreesValidated(repo: TestRepo, from: string, to: string) {
  const spec = await repo.git([
    "log",
    "--format=%H %T %(trailers:key=Spe-Spec,valueonly,separator=)",
    `${from}..${to}`,
  ]);
  const commits = spec.split("\n").filter((l) => l.split(" ")[2]);
  expect(commits.length).toBeGreaterThan(0);
  for (const line of commits) {
    const tree = line.split(" ")[1]!;
    expect((await readTreeValidation(path.join(repo.dir, ".git"), tree))?.passed, line).toBe(true);
  }
}

describe("exec --parallel", () => {
  it("runs independent steps at once in lanes and lands them in plan order; a dependent step starts from what it needs", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", project());
        const mainBefore = await repo.git(["rev-parse", "main"]);
        const plan = {
          title: "Four steps",
          summary: "Three independent steps, and one that needs the first.",
          steps: [
            step("S1", "docs/a.md", "create"),
            step("S2", "docs/b.md", "create", []),
            step("S3", "src/math.js", "modify", []),
            step("S4", "docs/a.md", "modify", ["S1"]),
          ],
        };
        await seedSpec(repo, plan);
        const script = byStep(
          {
            S1: [[create("docs/a.md", "A\n"), mockReply.text("a")]],
            S2: [[create("docs/b.md", "B\n"), mockReply.text("b")]],
            S3: [[addSquare, mockReply.text("square")]],
            // Fails with a tool error (and leaves a.md as S1 made it) unless S1 is there.
            S4: [
              [
                edit({
                  command: "str_replace",
                  path: "docs/a.md",
                  old_str: "A\n",
                  new_str: "A\nD\n",
                }),
                mockReply.text("d"),
              ],
            ],
          },
          { S1: ["S2", "S3"] },
        );
        server.handle("anthropic", script.handler);
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const dry = (await exec(ctx, { parallel: 3, dryRun: true })) as DryRun;
        expect(dry.steps.map((s) => s.needs)).toEqual([[], [], [], ["S1"]]);
        const shown = ctx.log.lines.map((l) => l.text).join("\n");
        expect(shown).toContain("up to 3 steps at once, each in its own lane");
        expect(shown).toContain("S4 Step S4 (after S1)");
        const result = (await exec(ctx, { parallel: 3 })) as ExecSummary;

        expect(result.status).toBe("merged");
        // S1 was held until S2 and S3 had asked: the three ran at once.
        expect(script.overlapped).toEqual(new Set(["S1"]));
        // Landed in plan order: S1 fast-forwarded; S2 and S3, made from the base, by merges;
        // S4 (after S1) by a fast-forward or a merge, depending on when it finished.
        const history = await runLog(repo, mainBefore, "main");
        expect(history.slice(0, 3)).toEqual([
          "S1: Step S1",
          "Land S2: Step S2",
          "Land S3: Step S3",
        ]);
        expect(history[3]).toMatch(/^(Land )?S4: Step S4$/);
        expect(history).toHaveLength(4);
        await expectStepTreesValidated(repo, mainBefore, "main");
        expect(await repo.read("docs/a.md")).toBe("A\nD\n");
        expect(await repo.read("docs/b.md")).toBe("B\n");
        expect(await repo.read("src/math.js")).toBe(squareSource);
        const lines = ctx.log.lines.map((l) => l.text);
        expect(
          lines.filter((l) => /^S[23]: landed on .* by merge [0-9a-f]{12} onto/.test(l)),
        ).toHaveLength(2);
        expect(lines.some((l) => /^S1: landed on .* at [0-9a-f]{12}$/.test(l))).toBe(true);
        const run = (await listRuns(path.join(repo.dir, ".git"), result.specId))[0]!;
        expect(run.parallel).toBe(3);
        for (const s of run.steps) {
          expect(s.status).toBe("committed");
          expect(s.lane).toBeUndefined();
          expect(s.attempts.at(-1)?.validation?.passed).toBe(true);
        }
        // Every lane is gone, with the run's worktree.
        await expect(
          fs.access(path.join(repo.dir, ".git", "spe", "lanes", result.runId)),
        ).rejects.toThrow();
        expect(await repo.git(["worktree", "list"])).not.toContain("/spe/");
      });
    });
  }, 60_000);

  it("a step whose commit conflicts with what landed first runs again from the tip", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", project());
        const plan = {
          title: "Two edits of one file",
          summary: "Wrongly marked independent.",
          steps: [step("S1", "src/math.js", "modify"), step("S2", "src/math.js", "modify", [])],
        };
        await seedSpec(repo, plan);
        const withTwo = (source: string) => `${source}\nexport const two = 2;\n`;
        const script = byStep(
          {
            S1: [[addSquare, mockReply.text("square")]],
            S2: [
              [
                edit({
                  command: "str_replace",
                  path: "src/math.js",
                  old_str: mathSource,
                  new_str: withTwo(mathSource),
                }),
                mockReply.text("two"),
              ],
              // Again, from the tip that has square.
              [
                edit({
                  command: "str_replace",
                  path: "src/math.js",
                  old_str: squareSource,
                  new_str: withTwo(squareSource),
                }),
                mockReply.text("two, again"),
              ],
            ],
          },
          { S1: ["S2"] },
        );
        server.handle("anthropic", script.handler);
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const result = (await exec(ctx, { parallel: 2 })) as ExecSummary;

        expect(result.status).toBe("merged");
        expect(script.overlapped).toEqual(new Set(["S1"]));
        expect(script.started.get("S2")).toBe(2);
        expect(await repo.read("src/math.js")).toBe(withTwo(squareSource));
        expect(ctx.log.lines.map((l) => l.text)).toContainEqual(
          expect.stringMatching(
            /^S2: conflicts with the steps landed since its lane started \(src\/math.js\); running it again from [0-9a-f]{12}$/,
          ),
        );
        // The first, conflicting S2 is kept, and what it was.
        const kept = await repo.git(["show", `refs/spe/attempts/${result.runId}/S2/2:src/math.js`]);
        expect(kept).toBe(withTwo(mathSource).trimEnd());
        const run = (await listRuns(path.join(repo.dir, ".git"), result.specId))[0]!;
        expect(run.steps[1]!.attempts.map((a) => a.error)).toEqual([
          undefined,
          "conflicted on landing: src/math.js",
          undefined,
        ]);
      });
    });
  }, 60_000);

  it("a step that depends on a failed step is not started; the others land, and --resume finishes", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", project());
        const mainBefore = await repo.git(["rev-parse", "main"]);
        const plan = {
          title: "A failing chain",
          summary: "S3 needs S1; S2 needs nothing.",
          steps: [
            squareStep,
            step("S2", "docs/b.md", "create", []),
            step("S3", "docs/c.md", "create", ["S1"]),
          ],
        };
        const id = await seedSpec(repo, plan);
        const script = byStep({
          S1: wrongTwiceThenRight(),
          S2: [[create("docs/b.md", "B\n"), mockReply.text("b")]],
          S3: [[create("docs/c.md", "C\n"), mockReply.text("c")]],
        });
        server.handle("anthropic", script.handler);
        const env = anthropicEnv(server.anthropicBaseUrl);
        const error = await exec(testCommandContext(repo.dir, { env }), { parallel: 3 }).catch(
          (e: unknown) => e,
        );
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toMatch(
          /^S1 "Step S1" still fails validation after 2 attempt/,
        );
        expect(script.started.has("S3")).toBe(false);
        expect(await repo.git(["rev-parse", "main"])).toBe(mainBefore);
        const stopped = (await listRuns(path.join(repo.dir, ".git"), id))[0]!;
        expect(stopped.steps.map((s) => s.status)).toEqual(["failed", "committed", "pending"]);
        expect(stopped.steps[1]!.lane).toBeUndefined();
        expect(await runLog(repo, mainBefore, `spe/${id}`)).toEqual(["S2: Step S2"]);

        const resumed = (await exec(testCommandContext(repo.dir, { env }), {
          resume: true,
        })) as ExecSummary;
        expect(resumed.status).toBe("merged");
        // S1's lane started from the base before S2 landed: it lands by a merge.
        expect(await runLog(repo, mainBefore, "main")).toEqual([
          "S2: Step S2",
          "Land S1: Step S1",
          "S3: Step S3",
        ]);
        await expectStepTreesValidated(repo, mainBefore, "main");
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.read("docs/c.md")).toBe("C\n");
        await expect(
          exec(testCommandContext(repo.dir, { env }), { resume: true, parallel: 2 }),
        ).rejects.toThrow(/has no unfinished run/);
      });
    });
  }, 90_000);

  it("a step whose step:after hook fails does not land; --resume runs the hook again, then lands it", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { ".sperc.json": _json, ...files } = project();
        await repo.commit("project", {
          ...files,
          ".gitignore": ".coffee\n",
          ".spe.config.ts": speConfigTs({
            imports: { [fixture("grumpy-plugin.ts")]: ["grumpy"] },
            plugins: ['grumpy("step:after", ".coffee")'],
            config: {
              validate: ["npm test"],
              models: { exec: "anthropic:claude-sonnet-5-5" },
              exec: { worktree: { deps: "none" }, maxRepairs: 0 },
            },
          }),
        });
        const mainBefore = await repo.git(["rev-parse", "main"]);
        const plan = {
          title: "Two files",
          summary: "Independent.",
          steps: [step("S1", "docs/a.md", "create"), step("S2", "docs/b.md", "create", [])],
        };
        const id = await seedSpec(repo, plan);
        const script = byStep({
          S1: [[create("docs/a.md", "A\n"), mockReply.text("a")]],
          S2: [[create("docs/b.md", "B\n"), mockReply.text("b")]],
        });
        server.handle("anthropic", script.handler);
        const env = anthropicEnv(server.anthropicBaseUrl);
        const error = await exec(testCommandContext(repo.dir, { env }), { parallel: 2 }).catch(
          (e: unknown) => e,
        );
        expect((error as SpeError).message).toBe(
          'plugin "grumpy" failed in hook "step:after": no coffee',
        );
        const stopped = (await listRuns(path.join(repo.dir, ".git"), id))[0]!;
        // Committed in their lanes, the hook not passed: nothing landed.
        expect(stopped.steps.map((s) => [s.status, s.lane?.afterDone ?? false])).toEqual([
          ["committed", false],
          ["committed", false],
        ]);
        expect(await repo.git(["rev-parse", `spe/${id}`])).toBe(mainBefore);
        const asked = server.requestsTo("anthropic").length;

        await repo.write(".coffee", "");
        const ctx = testCommandContext(repo.dir, { env });
        const resumed = (await exec(ctx, { resume: true })) as ExecSummary;
        expect(resumed.status).toBe("merged");
        // The hook ran again for each step; the model was not asked again.
        expect(ctx.log.lines.filter((l) => l.text.endsWith("step:after allowed"))).toHaveLength(2);
        expect(server.requestsTo("anthropic")).toHaveLength(asked);
        expect(await repo.read("docs/a.md")).toBe("A\n");
        expect(await repo.read("docs/b.md")).toBe("B\n");
        await expectStepTreesValidated(repo, mainBefore, "main");
      });
    });
  }, 60_000);

  it("changes made by hand in the run's worktree are kept before lanes reset it", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", project());
        const plan = {
          title: "A failing step",
          summary: "S1 fails once.",
          steps: [squareStep],
        };
        const id = await seedSpec(repo, plan);
        const script = byStep({ S1: wrongTwiceThenRight() });
        server.handle("anthropic", script.handler);
        const env = anthropicEnv(server.anthropicBaseUrl);
        const error = await exec(testCommandContext(repo.dir, { env }), { parallel: 2 }).catch(
          (e: unknown) => e,
        );
        // The hints name the lane, where the step's work is.
        const lane = path.join(repo.dir, ".git", "spe", "lanes");
        expect((error as SpeError).hints.join("\n")).toContain(
          `Inspect S1 in its lane: cd ${lane}`,
        );
        const run = (await listRuns(path.join(repo.dir, ".git"), id))[0]!;
        // A fix made in the run's worktree instead (where steps do not run under --parallel).
        await fs.writeFile(path.join(run.worktree, "README.md"), "my fix\n");
        const ctx = testCommandContext(repo.dir, { env });
        expect(((await exec(ctx, { resume: true })) as ExecSummary).status).toBe("merged");
        expect(ctx.log.lines.map((l) => l.text)).toContainEqual(
          expect.stringContaining(`kept as refs/spe/attempts/${run.runId}/run-worktree/1`),
        );
        expect(
          await repo.git(["show", `refs/spe/attempts/${run.runId}/run-worktree/1:README.md`]),
        ).toBe("my fix");
      });
    });
  }, 60_000);

  it("is refused when the sandbox is off, before anything of a run exists", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", {
        ...project(),
        ".sperc.json": `${JSON.stringify({ validate: ["npm test"], models: { exec: "anthropic:claude-sonnet-5-5" }, exec: { sandbox: "off" } })}\n`,
      });
      const id = await seedSpec(repo, {
        title: "Two",
        summary: "Two.",
        steps: [step("S1", "docs/a.md", "create"), step("S2", "docs/b.md", "create", [])],
      });
      const error = await exec(
        testCommandContext(repo.dir, { env: anthropicEnv("http://127.0.0.1:9") }),
        {
          parallel: 2,
        },
      ).catch((e: unknown) => e);
      expect((error as SpeError).exitCode).toBe(2);
      expect((error as SpeError).message).toMatch(
        /^--parallel 2 needs the sandbox, and exec.sandbox is "off"/,
      );
      expect(await listRuns(path.join(repo.dir, ".git"), id)).toEqual([]);
      expect(await repo.git(["for-each-ref", "refs/heads/spe/"])).toBe("");
    });
  });
});
