/**
 * Two `git spe exec` processes at once. Of the same spec: the second is refused at once by the
 * spec's lock (exit 1, one line naming the holder's pid) and the first completes. Of two
 * different specs: both run side by side in their own worktrees and both land on main — the
 * second to finish merges the moved main into its branch first. The user's staged, unstaged,
 * untracked and stashed changes survive both.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  squareSource,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import {
  withMockModelServer,
  type MockModelServer,
  type MockReply,
} from "../helpers/mock-model-server.ts";
import { makeUserChanges, userState } from "../helpers/user-state.ts";

const squarePlan = { ...twoStepPlan, steps: [twoStepPlan.steps[0]] };
const docPlan = {
  title: "Document math",
  summary: "A doc page.",
  steps: [{ ...twoStepPlan.steps[1], id: "S1" }],
};
const userFiles = { staged: "README.md", unstaged: "CHANGELOG.md", stashed: "test/math.test.js" };
const project = { ...projectFiles({ validate: ["true"] }), "CHANGELOG.md": "- math\n" };

/**
 * Answers each run's turns from its script; each run's first request waits until the test opens
 * its gate, so both runs can be caught in the middle of a step.
 */
function scriptRuns(server: MockModelServer) {
  const gates = new Map<string, { open: () => void; opened: Promise<void>; seen: boolean }>();
  for (const name of ["square", "doc"]) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gates.set(name, { open, opened, seen: false });
  }
  server.handle("anthropic", async (request) => {
    const { messages } = request.body as { messages: unknown[] };
    const name = JSON.stringify(messages[0]).includes("docs/math.md") ? "doc" : "square";
    const turn = (messages.length - 1) / 2;
    const gate = gates.get(name);
    if (gate && turn === 0) {
      gate.seen = true;
      await gate.opened;
    }
    return (name === "doc" ? goodSession.s2 : goodSession.s1)[turn] as MockReply;
  });
  return gates;
}

/** Waits until `ready()`; fails at once if a run ends first instead of hanging. */
async function until(ready: () => boolean, runs: Promise<CliResult>[]) {
  let ended: CliResult | undefined;
  for (const run of runs) void run.then((r) => (ended ??= r));
  while (!ready()) {
    if (ended) throw new Error(`a run ended early (exit ${ended.exitCode}): ${ended.stderr}`);
    await sleep(20);
  }
}

describe("concurrent exec runs", () => {
  it("of the same spec: the second is refused by the lock, the first completes", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", project);
        const id = await seedSpec(repo, squarePlan);
        await makeUserChanges(repo, userFiles);
        const before = await userState(repo, userFiles);
        const gates = scriptRuns(server);
        const env = anthropicEnv(server.anthropicBaseUrl);

        const first = runCli(["exec", id], { cwd: repo.dir, env });
        await until(() => gates.get("square")?.seen === true, [first]);
        const second = await runCli(["exec", id], { cwd: repo.dir, env });
        expect(second.exitCode).toBe(1);
        expect(second.stderr).toMatch(
          new RegExp(
            `^error: spec ${id} is already being executed \\(git spe, pid \\d+\\)\\nhint: Wait for it to finish, or stop it \\(Ctrl-C\\) first\\.$`,
          ),
        );
        gates.get("square")?.open();
        const done = await first;
        expect(done.exitCode, done.stderr).toBe(0);
        expect(done.stderr).toContain("exec: merged into main");
        expect(await repo.read("src/math.js")).toBe(squareSource);
        // The refused run made no model call and left no run of its own.
        expect(server.requestsTo("anthropic")).toHaveLength(goodSession.s1.length);
        expect(await userState(repo, userFiles)).toEqual(before);
      });
    });
  });

  it("of two different specs: both run side by side and both land", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", project);
        const square = await seedSpec(repo, squarePlan, "20261121-square");
        const doc = await seedSpec(repo, docPlan, "20261121-doc");
        await makeUserChanges(repo, userFiles);
        const before = await userState(repo, userFiles);
        const gates = scriptRuns(server);
        const env = anthropicEnv(server.anthropicBaseUrl);

        const squareRun = runCli(["exec", square], { cwd: repo.dir, env });
        const docRun = runCli(["exec", doc], { cwd: repo.dir, env });
        await until(
          () => gates.get("square")?.seen === true && gates.get("doc")?.seen === true,
          [squareRun, docRun],
        );
        // Both are mid-step now. The doc run finishes first, then the square run.
        gates.get("doc")?.open();
        const docDone = await docRun;
        expect(docDone.exitCode, docDone.stderr).toBe(0);
        gates.get("square")?.open();
        const squareDone = await squareRun;
        expect(squareDone.exitCode, squareDone.stderr).toBe(0);
        expect(squareDone.stderr).toContain(
          "exec: main moved during the run; merging it into spe/20261121-square and validating the result",
        );

        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.read("docs/math.md")).toContain("square(x)");
        const specs = await repo.git([
          "log",
          "--format=%(trailers:key=Spe-Spec,valueonly,separator=)",
        ]);
        expect(specs.split("\n").filter(Boolean).sort()).toEqual(
          [doc, square, square].sort(), // the square run's step and its merge of main
        );
        expect(await userState(repo, userFiles)).toEqual(before);
        expect(await repo.git(["worktree", "list", "--porcelain"])).not.toContain("spe/worktrees");
      });
    });
  });
});
