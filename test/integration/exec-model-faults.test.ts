/**
 * `git spe exec` when the model API fails mid-step, through the real SDK against the mock
 * server: overload past the retries, a stream that stalls, is cut or ends early, an error event
 * mid-answer, a server that never answers. Each stops the run with one line (exit 1) and how to
 * inspect, resume or abort; the run is saved as failed with the attempt's error, the worktree
 * keeps the step's edits so far, main and the user's files are untouched, and `--resume` picks
 * the work up (rate limits on the way are retried). A model that never stops calling tools is
 * stopped at the turn limit, says so, and the attempt is recorded.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeError } from "../../src/cli/report-error.ts";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { listRuns } from "../../src/workflow/execute/run-state.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
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
import {
  type MockAnswer,
  type MockReply,
  mockReply,
  withMockModelServer,
} from "../helpers/mock-model-server.ts";

const quick = { headers: { "retry-after-ms": "1" } };
const addSquare = goodSession.s1[0] as MockAnswer;

async function setUp(repo: TestRepo, providerSettings: Record<string, unknown>) {
  await repo.commit(
    "project",
    projectFiles({ providers: { anthropic: { maxRetries: 1, ...providerSettings } } }),
  );
  // The user's own uncommitted work, which nothing may touch.
  await repo.write("notes.txt", "my notes\n");
  const id = await seedSpec(repo);
  const before = {
    main: await repo.git(["rev-parse", "main"]),
    status: await repo.git(["status", "--porcelain", "--untracked-files=all"]),
  };
  return { id, before };
}

async function lastRun(repo: TestRepo, id: string) {
  const [run] = await listRuns(repo.path(".git"), id);
  if (!run) throw new Error("no run saved");
  return run;
}

/** The failed run's end state, the same whatever the fault was. */
async function expectStoppedCleanly(
  repo: TestRepo,
  id: string,
  before: { main: string; status: string },
  error: unknown,
  message: string | RegExp,
) {
  expect(error).toBeInstanceOf(SpeError);
  const report = describeError(error);
  expect(report.exitCode).toBe(1);
  if (typeof message === "string") expect(report.message).toBe(message);
  else expect(report.message).toMatch(message);
  expect(report.message).not.toContain("\n");
  expect(report.hints.join("\n")).toContain(`Resume: git spe exec ${id} --resume`);
  expect(report.hints.join("\n")).toContain(`Abort: git spe abort ${id}`);
  expect(JSON.stringify(report)).not.toContain("sk-ant-dummy");

  const run = await lastRun(repo, id);
  expect(run.status).toBe("failed");
  expect(run.message).toBe(report.message);
  const step = run.steps[0];
  expect(step?.status).toBe("failed");
  expect(step?.attempts.at(-1)?.error).toBe(report.message);
  // The step's edit so far is still in the kept worktree; main and the user's files are not.
  expect(await fs.readFile(path.join(run.worktree, "src/math.js"), "utf8")).toBe(squareSource);
  expect(await repo.git(["rev-parse", "main"])).toBe(before.main);
  expect(await repo.read("src/math.js")).toBe(mathSource);
  expect(await repo.read("notes.txt")).toBe("my notes\n");
  expect(await repo.git(["status", "--porcelain", "--untracked-files=all"])).toBe(before.status);
  return run;
}

const faults: {
  name: string;
  settings: Record<string, unknown>;
  replies: MockReply[];
  message: string | RegExp;
}[] = [
  {
    name: "a stream that stalls with the connection open (timeoutSec)",
    settings: { timeoutSec: 0.5, maxRetries: 0 },
    replies: [mockReply.text("Now the tests…", { stallAfterEvents: 4 })],
    message:
      "anthropic: the answer stream was cut off before it finished (no data for 0.5 s); no partial answer is used",
  },
  {
    name: "a server that never answers (timeoutSec, retried once)",
    settings: { timeoutSec: 0.5 },
    replies: [
      mockReply.text("too late", { delayMs: 60_000 }),
      mockReply.text("too late", { delayMs: 60_000 }),
    ],
    message: "anthropic: no answer within 0.5 s",
  },
  {
    name: "a connection cut mid-stream",
    settings: {},
    replies: [mockReply.text("Now the tests, and then…", { truncateAfterEvents: 5 })],
    message: /^anthropic: the answer stream was cut off before it finished \(.+\); no partial/,
  },
  {
    name: "a stream that ends without message_stop",
    settings: {},
    replies: [mockReply.text("Now the tests, and then…", { endAfterEvents: 5 })],
    message:
      "anthropic: the answer stream was cut off before it finished (no message_stop); no partial answer is used",
  },
  {
    name: "an overloaded_error event mid-answer",
    settings: {},
    replies: [
      mockReply.text("Now the tests…", {
        streamError: { afterEvents: 4, message: "Overloaded", errorType: "overloaded_error" },
      }),
    ],
    message: "anthropic: overloaded_error during the answer: Overloaded",
  },
];

describe("exec: the model API fails mid-step", () => {
  it.each(faults)("$name: one line, the run saved as failed, nothing lost", async (fault) => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, before } = await setUp(repo, fault.settings);
        server.reply("anthropic", addSquare, ...fault.replies);
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const error = await exec(ctx, {}).then(
          () => new Error("exec succeeded"),
          (e: unknown) => e,
        );
        await expectStoppedCleanly(repo, id, before, error, fault.message);
        expect(server.pending("anthropic")).toBe(0);
      });
    });
  });

  it("529 past the retries stops the run; --resume keeps the edit and retries a 429", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, before } = await setUp(repo, {});
        const main = before.main;
        server.reply(
          "anthropic",
          addSquare,
          mockReply.fault(529, "Overloaded", quick),
          mockReply.fault(529, "Overloaded", quick),
        );
        const env = anthropicEnv(server.anthropicBaseUrl);
        const error = await exec(testCommandContext(repo.dir, { env }), {}).catch(
          (e: unknown) => e,
        );
        await expectStoppedCleanly(
          repo,
          id,
          before,
          error,
          "anthropic: HTTP 529 overloaded_error: Overloaded",
        );
        expect(server.requestsTo("anthropic")).toHaveLength(3);

        // Resume: S1's edit left in the worktree passes validation and is committed without
        // the model; S2's first call meets a rate limit without retry-after, then goes through.
        server.reply(
          "anthropic",
          mockReply.fault(429, "Number of requests has exceeded your rate limit"),
          ...goodSession.s2,
        );
        const ctx = testCommandContext(repo.dir, { env });
        const summary = (await exec(ctx, { resume: true })) as ExecSummary;
        expect(summary.status).toBe("merged");
        expect(summary.steps.map((s) => s.status)).toEqual(["committed", "committed"]);
        expect(server.requestsTo("anthropic")).toHaveLength(3 + 1 + goodSession.s2.length);
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.read("docs/math.md")).toContain("square(x)");
        expect(await repo.read("notes.txt")).toBe("my notes\n");
        expect(await repo.git(["log", "--format=%s", `${main}..main`])).toBe(
          ["S2: Document square", "S1: Add square"].join("\n"),
        );
      });
    });
  });

  it("stops a model that never stops calling tools at the turn limit, says so, and records it", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit(
          "project",
          projectFiles({ exec: { worktree: { deps: "none" }, maxRepairs: 0 } }),
        );
        const id = await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
        const main = await repo.git(["rev-parse", "main"]);
        server.handle("anthropic", () =>
          edit({ command: "view", path: "src/math.js" }, { text: "Let me look once more." }),
        );
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const error = await exec(ctx, {}).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toMatch(
          /^S1 "Add square" still fails validation after 1 attempt\(s\): npm test exited 1/,
        );
        const turns = server.requestsTo("anthropic").length;
        expect(turns).toBeGreaterThan(1);
        const warnings = ctx.log.lines.filter((l) => l.level === "warn").map((l) => l.text);
        expect(warnings).toContain(
          `S1: anthropic:claude-sonnet-5-5 was stopped at the turn limit (${turns} turns); validating what it left`,
        );
        const run = await lastRun(repo, id);
        expect(run.status).toBe("failed");
        const [attempt] = run.steps[0]?.attempts ?? [];
        expect(attempt?.executor).toMatchObject({ outcome: "turn-limit", turns, toolCalls: turns });
        expect(attempt?.ref).toMatch(/^refs\/spe\/attempts\/.+\/S1\/1$/);
        expect(await repo.git(["rev-parse", "main"])).toBe(main);
      });
    });
  });
});
