/**
 * A rig for killing `git spe exec` (the built CLI) at a named point and checking what is left.
 *
 * Each point is a real place where the run waits on something outside git spe, held open by a
 * "gate": a shell script that, when armed, touches `<gates>/<point>.reached` and waits (bounded)
 * until the test touches `<gates>/<point>.release`. Gates are reached by:
 *
 * - `worktree`: the checkout of the scratch worktree, in a smudge filter on README.md (what
 *   git-lfs does; filters run in git spe's worktrees, unlike hooks);
 * - `model`: the mock model server stalls S1's second answer mid-stream (after the edit);
 * - `bash`: the command the model runs in S1 (the bash tool);
 * - `validate`: S1's own validate command from the plan;
 * - `commit`: S1's `git commit` in the scratch worktree has made the commit, and its process
 *   has not exited yet (a `git` on PATH that runs the real one, then waits) — so the run state
 *   does not say the step is committed;
 * - `step-after`: a plugin's `step:after` hook after S1 is committed (a `.spe.config.ts`);
 * - `merge`: the user's `reference-transaction` hook, `prepared` for refs/heads/main — git spe
 *   moves the user's branch with `git merge --ff-only` in the user's checkout, which runs the
 *   user's hooks (only the scratch worktree's git calls run with core.hooksPath=/dev/null);
 * - `notes`: the same hook, `prepared` for refs/notes/spe (store "notes"), when the run record
 *   is written after the merge;
 * - `cleanup`: after the merge and the record, the scratch worktree's removal (the `git` on
 *   PATH again, waiting after the real `git worktree remove`).
 *
 * The hook also touches `<point>.committed` when the transaction is committed, so a test can
 * tell when a git process orphaned by a SIGKILL has finished.
 *
 * With `parallel`, S2 does not depend on S1 and the run has `--parallel 2`: S2 runs in its own
 * lane beside S1 and waits at the `s2` gate (the command it runs) until the test lets go, so at
 * every point of S1 two steps are in flight. Two more points belong to lanes:
 * - `lane`: the checkout of S1's lane worktree (the smudge filter, run in a lane);
 * - `land`: S1 landing on the run's branch (the hook, `prepared` for a move of refs/heads/spe/…
 *   from an existing commit, which only landing does under --parallel).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { expect } from "vitest";
import { cliPath, runCli } from "./cli.ts";
import {
  anthropicEnv,
  bash,
  edit,
  mathSource,
  projectFiles,
  seedSpec,
  squareSource,
  twoStepPlan,
} from "./exec-fixtures.ts";
import type { TestRepo } from "./git-repo.ts";
import { hostProcessesContaining } from "./processes.ts";
import { makeUserMess, snapshotUserState, type UserState } from "./invariants.ts";
import { mockReply, type MockAnswer, type MockModelServer } from "./mock-model-server.ts";
import type { RecordedRequest } from "../../src/mock-model/types.ts";
import type { RunState } from "../../src/workflow/execute/run-state.ts";

export type KillPoint =
  | "worktree"
  | "model"
  | "bash"
  | "validate"
  | "commit"
  | "step-after"
  | "merge"
  | "notes"
  | "cleanup"
  | "lane"
  | "land";

export const docSource = "# math\n\n- add(a, b)\n- square(x)\n";

const gateScript = `#!/bin/sh
# gate NAME: the first time it runs while NAME is armed, say so and wait for the release.
d=$(dirname "$0")
[ -e "$d/$1.armed" ] && [ ! -e "$d/$1.reached" ] || exit 0
: > "$d/$1.reached"
i=0
while [ ! -e "$d/$1.release" ] && [ "$i" -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
: > "$d/$1.passed"
`;

const referenceTransactionHook = `#!/bin/sh
# A user's hook; git spe's own calls set SPE_TEST_GATES, the test's git calls do not.
[ -n "$SPE_TEST_GATES" ] || exit 0
refs=$(cat)
case "$refs" in
*" refs/heads/main"*) point=merge ;;
*" refs/notes/spe"*) point=notes ;;
*)
  printf '%s\n' "$refs" | grep -Eq '^0*[1-9a-f][0-9a-f]* [0-9a-f]+ refs/heads/spe/' || exit 0
  point=land ;;
esac
case "$1" in
prepared) exec "$SPE_TEST_GATES/gate.sh" "$point" ;;
committed) : > "$SPE_TEST_GATES/$point.committed" ;;
esac
exit 0
`;

/**
 * git, then the `commit` gate after a commit of S1 (its message has the Spe-Step trailer), or
 * the `cleanup` gate after a worktree is removed.
 */
const gitShim = (realGit: string) => `#!/bin/sh
${JSON.stringify(realGit)} "$@"
code=$?
case " $* " in
*" commit "*)
  if [ "$code" -eq 0 ] && ${JSON.stringify(realGit)} log -1 --format=%B | grep -qx "Spe-Step: S1"; then
    "$SPE_TEST_GATES/gate.sh" commit
  fi ;;
*" worktree remove "*) [ "$code" -ne 0 ] || "$SPE_TEST_GATES/gate.sh" cleanup ;;
esac
exit "$code"
`;

/** The project's tests for the parallel trials: add only (S1's square is not there for S2). */
const parallelTests =
  'import test from "node:test";\nimport assert from "node:assert/strict";\nimport { add } from "../src/math.js";\n\ntest("add", () => assert.equal(add(2, 3), 5));\n';

/** Points whose gate runs inside the run's sandbox. */
const sandboxed = new Set<KillPoint>(["bash", "validate", "step-after"]);

/** The points of the parallel trials (S2 in flight beside S1), with what the run is doing. */
export const parallelKillPoints: [KillPoint, string][] = [
  ["lane", "the checkout of S1's lane"],
  ["model", "a model answer to S1 is streaming"],
  ["bash", "a command S1's model runs"],
  ["validate", "S1's validation"],
  ["commit", "S1's git commit in its lane, before the run state records it"],
  ["step-after", "step:after of S1"],
  ["land", "S1 landing on the run's branch"],
];

const gateCommand = (point: KillPoint | "s2") => `"$SPE_TEST_GATES/gate.sh" ${point}`;

const stepAfterConfig = (
  json: Record<string, unknown>,
) => `import { defineConfig, definePlugin } from "git-spe";

const gate = definePlugin({
  name: "gate",
  hooks: {
    "step:after": async ({ exec, stepId }) => {
      if (stepId === "S1") await exec(${JSON.stringify(gateCommand("step-after"))});
    },
  },
});

export default defineConfig({ ...${JSON.stringify(json)}, plugins: [gate] });
`;

function promptOf(request: RecordedRequest): { step: string; turn: number } {
  const { messages } = request.body as { messages: { role: string; content: unknown }[] };
  const first = messages[0]?.content;
  const text =
    typeof first === "string"
      ? first
      : (first as { type: string; text?: string }[]).map((b) => b.text ?? "").join("");
  const step = /# Your step: (S\d+)/.exec(text)?.[1] ?? "?";
  return { step, turn: messages.filter((m) => m.role === "assistant").length };
}

/**
 * A scripted model that answers from the request itself (which step, which turn), so any run,
 * resumed at any point, gets the right answer: S1 adds square and runs a command, S2 writes
 * the doc.
 */
export function modelTurns(step: string, turn: number, parallel = false): MockAnswer {
  const s1 = [
    edit({
      command: "str_replace",
      path: "src/math.js",
      old_str: mathSource,
      new_str: squareSource,
    }),
    bash(`${gateCommand("bash")} && ls src`),
    mockReply.text("Added square(x) to src/math.js."),
  ];
  const s2 = [
    edit({ command: "create", path: "docs/math.md", file_text: docSource }),
    ...(parallel ? [bash(`${gateCommand("s2")} && ls docs`)] : []),
    mockReply.text("Documented add and square."),
  ];
  const turns = step === "S1" ? s1 : s2;
  return turns[Math.min(turn, turns.length - 1)] as MockAnswer;
}

export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

export interface KillRig {
  repo: TestRepo;
  /** S2 beside S1 under --parallel 2. */
  parallel: boolean;
  id: string;
  env: NodeJS.ProcessEnv;
  gates: string;
  before: UserState;
  dirtyFiles: string[];
  commonDir: string;
  /** Starts `git spe exec` (the built CLI); stderr is collected in `stderr()`. */
  start(args?: string[]): { child: ResultPromise; stderr: () => string };
  /** Resolves when the armed point is reached. */
  reached(): Promise<void>;
  /** Lets every gate through. */
  releaseAll(): Promise<void>;
  /** After a SIGKILL: waits for whatever the dead process left running at the gate to finish. */
  settle(): Promise<void>;
  runState(): Promise<RunState>;
  lockFile: string;
}

export async function createKillRig(
  repo: TestRepo,
  server: MockModelServer,
  point: KillPoint,
  options: { parallel?: boolean } = {},
): Promise<KillRig> {
  const parallel = options.parallel === true;
  // The gates live in the user's checkout, excluded from git status; the sandbox lets the
  // gate commands (bash, validate, the step:after plugin's exec) reach them, as a config can.
  const gates = path.join(repo.dir, ".spe-test-gates");
  const json = {
    validate: ["node --test"],
    models: { exec: "anthropic:claude-sonnet-5-5" },
    exec: {
      worktree: { deps: "none" },
      maxRepairs: 1,
      sandbox: { env: ["SPE_TEST_GATES"], writable: [gates] },
    },
    ...(point === "notes" ? { store: "notes" } : {}),
  };
  const { ".sperc.json": _json, ...files } = projectFiles();
  // S2 beside S1 validates without square: the project's tests must pass on the base there.
  if (parallel) files["test/math.test.js"] = parallelTests;
  // Without SPE_TEST_GATES (the test's own git calls) the filter only passes the content on.
  await repo.git([
    "config",
    "filter.gate.smudge",
    `case "$(pwd)" in */spe/lanes/*/S1) g=lane ;; */spe/lanes/*) g=none ;; *) g=worktree ;; esac; "$SPE_TEST_GATES/gate.sh" $g >&2; cat`,
  ]);
  await repo.commit("project", {
    ...files,
    ".gitattributes": "README.md filter=gate\n",
    ...(point === "step-after"
      ? { ".spe.config.ts": stepAfterConfig(json) }
      : { ".sperc.json": `${JSON.stringify(json, null, 2)}\n` }),
  });
  const plan = {
    ...twoStepPlan,
    steps: twoStepPlan.steps.map((s) =>
      s.id === "S1"
        ? { ...s, validate: [gateCommand("validate")] }
        : { ...s, ...(parallel ? { dependsOn: [] } : {}) },
    ),
  };
  const id = await seedSpec(repo, plan);
  const dirtyFiles = await makeUserMess(repo);

  const gitDir = await repo.git(["rev-parse", "--absolute-git-dir"]);
  const commonDir = path.resolve(repo.dir, await repo.git(["rev-parse", "--git-common-dir"]));
  await fs.mkdir(gates, { recursive: true });
  await fs.mkdir(path.join(gitDir, "info"), { recursive: true });
  await fs.appendFile(path.join(gitDir, "info", "exclude"), "/.spe-test-gates/\n");
  await fs.writeFile(path.join(gates, "gate.sh"), gateScript, { mode: 0o755 });
  await fs.writeFile(path.join(gates, `${point}.armed`), "");
  if (parallel) await fs.writeFile(path.join(gates, "s2.armed"), "");
  const bin = path.join(gates, "bin");
  if (point === "commit" || point === "cleanup") {
    const realGit = (await execa("sh", ["-c", "command -v git"])).stdout.trim();
    await fs.mkdir(bin);
    await fs.writeFile(path.join(bin, "git"), gitShim(realGit), { mode: 0o755 });
  }
  const hooks = path.resolve(repo.dir, await repo.git(["rev-parse", "--git-path", "hooks"]));
  await fs.mkdir(hooks, { recursive: true });
  await fs.writeFile(path.join(hooks, "reference-transaction"), referenceTransactionHook, {
    mode: 0o755,
  });

  let held: RecordedRequest | undefined;
  server.handle("anthropic", (request) => {
    const { step, turn } = promptOf(request);
    const answer = modelTurns(step, turn, parallel);
    if (point === "model" && step === "S1" && turn === 1 && !held) {
      held = request;
      return { ...answer, stallAfterEvents: 2 };
    }
    return answer;
  });

  const env = {
    ...process.env,
    ...anthropicEnv(server.anthropicBaseUrl),
    SPE_TEST_GATES: gates,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  const before = await snapshotUserState(repo, dirtyFiles);
  const marker = (name: string) => path.join(gates, name);
  return {
    repo,
    parallel,
    id,
    env,
    gates,
    before,
    dirtyFiles,
    commonDir,
    lockFile: path.join(commonDir, "spe", "locks", `${id}.lock`),
    start(args = []) {
      let stderr = "";
      const all = [...(parallel ? ["--parallel", "2"] : []), ...args];
      const child = execa(process.execPath, [cliPath, "exec", id, ...all], {
        cwd: repo.dir,
        env,
        reject: false,
      });
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      return { child, stderr: () => stderr };
    },
    reached: () =>
      until(
        async () =>
          (point === "model" ? held !== undefined : await exists(marker(`${point}.reached`))) &&
          (!parallel || (await exists(marker("s2.reached")))),
        `the run to reach ${point}${parallel ? " with S2 in flight" : ""}`,
      ),
    async releaseAll() {
      for (const p of [
        "worktree",
        "bash",
        "validate",
        "commit",
        "step-after",
        "merge",
        "notes",
        "cleanup",
        "lane",
        "land",
        "s2",
      ])
        await fs.writeFile(marker(`${p}.release`), "");
    },
    async settle() {
      if (parallel)
        await until(
          () => hostProcessesContaining(`${gates}/gate.sh s2`).length === 0,
          "the s2 gate to be gone",
        );
      if (point === "model") return;
      if (sandboxed.has(point)) {
        // Gates in the sandbox die with git spe (its PID namespace goes with it): none may be
        // left holding the worktree.
        await until(
          () => hostProcessesContaining(`${gates}/gate.sh ${point}`).length === 0,
          `the ${point} gate to be gone`,
        );
        return;
      }
      await until(() => exists(marker(`${point}.passed`)), `the ${point} gate to let go`);
      if (point === "merge" || point === "notes" || point === "land")
        await until(() => exists(marker(`${point}.committed`)), `git to commit ${point}`);
    },
    async runState() {
      const dir = path.join(commonDir, "spe", "runs", id);
      const [file] = (await fs.readdir(dir)).filter((f) => f.endsWith(".json"));
      return JSON.parse(await fs.readFile(path.join(dir, file as string), "utf8")) as RunState;
    },
  };
}

/** Where the saved run was when the process stopped: the row left "running" or "failed". */
export function stoppedRow(state: RunState): string | undefined {
  return state.rows.find((r) => r.status === "running" || r.status === "failed")?.name;
}

/** Every point, with what the run is doing there (the tests' names). */
export const killPoints: [KillPoint, string][] = [
  ["worktree", "the scratch worktree's checkout"],
  ["model", "a model answer is streaming"],
  ["bash", "a command the model runs"],
  ["validate", "validation"],
  ["commit", "S1's git commit, before the run state records it"],
  ["step-after", "step:after, between S1's commit and S2"],
  ["merge", "the merge into the user's branch"],
  ["notes", "the notes write of the run record"],
  ["cleanup", "the removal of the scratch worktree after the merge"],
];

/** Points after the user's branch has moved (the merge's git had begun). */
export const branchMovedAt: KillPoint[] = ["merge", "notes", "cleanup"];

/** The row each point stops in. */
export const rowOf: Record<KillPoint, string> = {
  worktree: "worktree",
  model: "step S1",
  bash: "step S1",
  validate: "step S1",
  commit: "step S1",
  "step-after": "step S1",
  merge: "merge",
  notes: "record",
  cleanup: "cleanup",
  lane: "step S1",
  land: "step S1",
};

/**
 * The user's state after a stop: everything but the tip unchanged; the tip unchanged too, or
 * (when `merged`) moved to the validated result of the run, a descendant of the old tip whose
 * tree final validation passed on.
 */
export async function expectUserStateKept(rig: KillRig, merged: boolean): Promise<void> {
  const { repo, before } = rig;
  const after = await snapshotUserState(repo, rig.dirtyFiles);
  expect(after.rest).toEqual(before.rest);
  expect(after.branch).toBe(before.branch);
  if (!merged) {
    expect(after.tip).toBe(before.tip);
    return;
  }
  const state = await rig.runState();
  expect(state.finalValidation?.passed).toBe(true);
  expect(await repo.git(["rev-parse", "main^{tree}"])).toBe(state.finalValidation?.tree);
  await repo.git(["merge-base", "--is-ancestor", before.tip, "main"]);
}

/** `--resume` finished the run: merged, validated, each step once, nothing of the run left. */
export async function expectRunFinished(rig: KillRig): Promise<void> {
  const { repo, before } = rig;
  const state = await rig.runState();
  expect(state).toMatchObject({ status: "merged", mergeResult: { result: "fast-forward" } });
  expect(state.mergeResult?.commit).toBe(await repo.git(["rev-parse", "main"]));
  expect(await repo.git(["rev-parse", "main^{tree}"])).toBe(state.finalValidation?.tree);
  expect(await repo.git(["show", "main:src/math.js"])).toBe(squareSource.trimEnd());
  expect(await repo.git(["show", "main:docs/math.md"])).toBe(docSource.trimEnd());
  const steps = await repo.git([
    "log",
    "--format=%(trailers:key=Spe-Step,valueonly)",
    `${before.tip}..main`,
  ]);
  // Under --parallel, S2's commit is joined by a merge ("Land S2", no Spe-Step): both step
  // commits are there, in whichever order they were made.
  const found = steps.split("\n").filter(Boolean);
  expect(rig.parallel ? [...found].sort() : found).toEqual(
    rig.parallel ? ["S1", "S2"] : ["S2", "S1"],
  );
  expect(await repo.git(["rev-parse", `refs/spe/backup/${state.runId}`])).toBe(before.tip);
  await expectUserStateKept(rig, true);
  expect(await exists(state.worktree)).toBe(false);
  expect(await repo.git(["for-each-ref", "refs/heads/spe/"])).toBe("");
  expect(await repo.git(["worktree", "list", "--porcelain"])).not.toContain("spe/worktrees");
  expect(await repo.git(["worktree", "list", "--porcelain"])).not.toContain("spe/lanes");
  expect(await exists(path.join(rig.commonDir, "spe", "lanes", state.runId))).toBe(false);
  expect(await exists(rig.lockFile)).toBe(false);
}

/** `git spe exec ID --resume` exits 0 with the run merged, and the run is finished. */
export async function expectResumeFinishes(rig: KillRig): Promise<void> {
  const resumed = await runCli(["exec", rig.id, "--resume", "--json"], {
    cwd: rig.repo.dir,
    env: rig.env,
  });
  expect(resumed.exitCode, resumed.stderr).toBe(0);
  expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "merged" });
  await expectRunFinished(rig);
}
