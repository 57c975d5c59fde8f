#!/usr/bin/env node
// Randomized kill trials: `git spe exec` (the built CLI) killed at a random moment of its run.
//
//   npm run build && node bench/kill-trials.mjs [--trials 60] [--seed N] [--sigint 0.3]
//                                               [--abort 0.25] [--keep] [--parallel]
//
// --parallel: S2 does not depend on S1 and every run is `exec --parallel 2`, so the two steps
// run at once, each in its own lane, and most signals land with both in flight.
//
// Once: a scripted model server (dist/mock-model.js) on 127.0.0.1, and two template
// repositories (store "dir" and store "notes") holding a small Node project, a spec and a
// two-step plan made by `git spe spec` and `git spe plan`, and a user's mess: a modified tracked
// file, a staged new file edited again after staging, an untracked file and a stash entry. Two
// unkilled runs per template measure how long a run takes (D).
//
// Each trial copies a template, starts `git spe exec` (--merge ff, merge or squash), and at a
// uniformly random moment in [0, D] sends SIGKILL (or SIGINT for --sigint of the trials). Then,
// once every process the run left behind has exited (a SIGKILL does not stop git or a
// validator the run started), it checks the invariants: the user's branch, index, working
// tree, dirty files, stash and git lock files are as before — the tip too, unless the validated
// merge had begun, in which case it is the validated result; a SIGINT exits 130 with the run
// saved as interrupted and the lock released. Then it resumes the run (`exec ID --resume`) or,
// for --abort of the trials, aborts it (`abort ID`), and checks the end state: merged with the
// validated tree, each step once, the backup ref at the old tip, nothing of the run left; or
// cleanly aborted. Prints counts and exits 1 on any violation.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist", "cli.js");
if (!fs.existsSync(cli) || !fs.existsSync(path.join(root, "dist", "mock-model.js"))) {
  console.error("dist/cli.js or dist/mock-model.js is missing: run npm run build first");
  process.exit(2);
}
const { startMockModelServer } = await import(
  pathToFileURL(path.join(root, "dist", "mock-model.js")).href
);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const trials = option("trials", 60);
const seed = option("seed", Date.now() % 1_000_000);
const sigintFraction = option("sigint", 0.3);
const abortFraction = option("abort", 0.25);
const keep = args.includes("--keep");
const parallel = args.includes("--parallel");
const parallelArgs = parallel ? ["--parallel", "2"] : [];
const log = (...parts) => console.error(`[kill-trials] ${parts.join(" ")}`);

// mulberry32: a seeded generator, so a trial list can be replayed with --seed.
let state32 = seed >>> 0;
function random() {
  state32 = (state32 + 0x6d2b79f5) >>> 0;
  let t = state32;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const execFileP = promisify(execFile);
async function run(cmd, argv, options = {}) {
  try {
    const { stdout, stderr } = await execFileP(cmd, argv, { maxBuffer: 1 << 26, ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (typeof error.code !== "number") throw error;
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}
async function git(cwd, argv) {
  const result = await run("git", argv, { cwd, env: { ...env, LC_ALL: "C" } });
  if (result.code !== 0) throw new Error(`git ${argv.join(" ")}: ${result.stderr}`);
  return result.stdout.replace(/\n$/, "");
}
const spe = (cwd, argv) => run(process.execPath, [cli, ...argv], { cwd, env });

// ------------------------------------------------------------------ the project and the model
const id = "20261121-add-square";
const mathSource = "export function add(a, b) {\n  return a + b;\n}\n";
const squareSource = `${mathSource}\nexport function square(x) {\n  return x * x;\n}\n`;
const docSource = "# math\n\n- add(a, b)\n- square(x)\n";
const projectFiles = {
  "package.json": `${JSON.stringify({ name: "math", version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2)}\n`,
  "src/math.js": mathSource,
  "test/math.test.js":
    'import test from "node:test";\nimport assert from "node:assert/strict";\nimport * as math from "../src/math.js";\n\n' +
    'test("add", () => assert.equal(math.add(2, 3), 5));\n' +
    // With --parallel S2 runs beside S1, without square: only S1 checks it (its validate).
    (parallel ? "" : 'test("square", () => assert.equal(math.square?.(3), 9));\n'),
  "check/square.js":
    'import { square } from "../src/math.js";\nif (square?.(3) !== 9) throw new Error("square(3) is not 9");\n',
};
const specAnswer = {
  title: "Add square",
  goal: "square(x) in src/math.js, documented.",
  context: "src/math.js exports add; tests use node:test.",
  acceptanceCriteria: ["square(3) is 9", "docs/math.md lists add and square"],
  outOfScope: [],
  openQuestions: [],
};
const planAnswer = {
  title: "Add square",
  summary: "square(x) and a doc page.",
  steps: [
    {
      id: "S1",
      title: "Add square",
      description: "Add `square(x)` to src/math.js.",
      files: [{ path: "src/math.js", action: "modify" }],
      validate: ["node --test", "node check/square.js"],
    },
    {
      id: "S2",
      title: "Document square",
      description: "Create docs/math.md describing add and square.",
      files: [{ path: "docs/math.md", action: "create" }],
      ...(parallel ? { dependsOn: [] } : {}),
    },
  ],
};

const edit = (input) => ({ toolCalls: [{ name: "str_replace_based_edit_tool", input }] });
const turns = {
  S1: [
    edit({
      command: "str_replace",
      path: "src/math.js",
      old_str: mathSource,
      new_str: squareSource,
    }),
    { toolCalls: [{ name: "bash", input: { command: "node --test 2>&1 | tail -n 8" } }] },
    { text: "Added square(x) to src/math.js." },
  ],
  S2: [
    edit({ command: "create", path: "docs/math.md", file_text: docSource }),
    { text: "Documented add and square." },
  ],
};
/** Answers from the request itself (which step, which turn), so a run resumed anywhere works. */
function answer(request) {
  const { messages } = request.body;
  const first = messages[0].content;
  const text = typeof first === "string" ? first : first.map((b) => b.text ?? "").join("");
  const step = /# Your step: (S\d+)/.exec(text)?.[1] ?? "S1";
  const turn = messages.filter((m) => m.role === "assistant").length;
  const list = turns[step] ?? turns.S2;
  return { ...list[Math.min(turn, list.length - 1)], eventDelayMs: 10 };
}

// ------------------------------------------------------------------ setup
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "git-spe-kill-trials-")));
const server = await startMockModelServer();
server.handle("anthropic", answer);
const gitconfig = path.join(work, "gitconfig");
fs.writeFileSync(
  gitconfig,
  "[user]\n\tname = Kill Trials\n\temail = kill-trials@example.invalid\n[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n",
);
const env = {};
for (const [key, value] of Object.entries(process.env))
  if (!/^(GIT_|npm_|ANTHROPIC_|GEMINI_|GOOGLE_|OPENAI_|SPE)/.test(key)) env[key] = value;
Object.assign(env, {
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: "1",
  ANTHROPIC_API_KEY: "kill-trials-not-a-real-key",
  ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
  GEMINI_API_KEY: "kill-trials-not-a-real-key",
  GOOGLE_GEMINI_BASE_URL: server.geminiBaseUrl,
});

const dirtyFiles = ["README.md", "staged.txt", "scratch/untracked notes.txt"];
async function makeTemplate(store) {
  const dir = path.join(work, `template-${store}`);
  fs.mkdirSync(dir);
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  await git(dir, ["init", "-q", "-b", "main"]);
  write("README.md", "# math\n");
  for (const [file, text] of Object.entries(projectFiles)) write(file, text);
  write(
    ".sperc.json",
    `${JSON.stringify({ store, validate: ["node --test"], models: { exec: "anthropic:claude-sonnet-5-5" }, exec: { worktree: { deps: "none" }, maxRepairs: 1 } }, null, 2)}\n`,
  );
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", "project"]);
  server.reply(
    "gemini",
    { text: JSON.stringify(specAnswer) },
    { text: JSON.stringify(planAnswer) },
  );
  for (const argv of [
    ["spec", "add square(x) and document it", "--id", id],
    ["plan", id],
  ]) {
    const result = await spe(dir, argv);
    if (result.code !== 0) throw new Error(`git spe ${argv[0]}: ${result.stderr}`);
  }
  // The user's mess, none of it in the files the run changes.
  write("README.md", "# math\n\nstashed edit\n");
  await git(dir, ["stash", "push", "-q", "-m", "the user's own stash"]);
  write("README.md", "# math\n\nan unsaved edit, not staged\n");
  write("staged.txt", "staged, never committed\n");
  await git(dir, ["add", "--", "staged.txt"]);
  write("staged.txt", "staged, never committed\nand edited again after staging\n");
  write("scratch/untracked notes.txt", "the user's untracked notes\n");
  return dir;
}

// ------------------------------------------------------------------ observing a repository
async function snapshot(dir) {
  const outside = ":(exclude).spe";
  const gitDir = path.join(dir, ".git");
  const locks = fs
    .readdirSync(gitDir, { recursive: true })
    .filter((e) => e.endsWith(".lock") && !/^(spe|worktrees)\//.test(e))
    .sort();
  return {
    branch: await git(dir, ["symbolic-ref", "HEAD"]),
    tip: await git(dir, ["rev-parse", "HEAD"]),
    rest: JSON.stringify({
      staged: await git(dir, ["diff", "--cached", "--binary", "--", ".", outside]),
      unstaged: await git(dir, ["diff", "--binary", "--", ".", outside]),
      status: await git(dir, [
        "status",
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
        outside,
      ]),
      files: dirtyFiles.map((f) => fs.readFileSync(path.join(dir, f), "utf8")),
      stash: [await git(dir, ["stash", "list"]), await git(dir, ["rev-parse", "refs/stash"])],
      locks,
    }),
  };
}

function runState(dir) {
  const runs = path.join(dir, ".git", "spe", "runs", id);
  const files = fs.existsSync(runs) ? fs.readdirSync(runs).filter((f) => f.endsWith(".json")) : [];
  return files.length ? JSON.parse(fs.readFileSync(path.join(runs, files[0]), "utf8")) : undefined;
}

/** Processes working inside `dir` (a dead run's git or validator), from /proc. */
function processesIn(dir) {
  const found = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(pid);
    } catch {
      // gone, or not ours
    }
  }
  return found;
}
async function settle(dir) {
  for (let i = 0; i < 600 && processesIn(dir).length > 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  return processesIn(dir).length === 0;
}

/** Where the saved run was when it stopped. */
function killPoint(state) {
  if (!state) return "before the run was saved";
  if (state.status === "merged" || state.status === "done") return "finished";
  const rows = state.rows.filter((r) => r.status === "running" || r.status === "failed");
  const row = rows[0];
  if (!row) return `between rows (before ${state.rows.find((r) => r.status === "pending")?.name})`;
  if (!row.name.startsWith("step ")) return row.name;
  // Under --parallel several steps can be in flight: each one's point.
  return rows
    .filter((r) => r.name.startsWith("step "))
    .map((r) => `${r.name}: ${stepPoint(state.steps.find((s) => `step ${s.id}` === r.name))}`)
    .join(" & ");
}

function stepPoint(step) {
  if (step.status === "committed")
    return step.lane ? "committed, not landed" : "committed (step:after)";
  const attempt = step.attempts.at(-1);
  if (!attempt) return step.lane ? "lane" : "starting";
  if (!attempt.executor) return "executor (model or its commands)";
  if (!attempt.validation) return "validating";
  return "committing";
}

/** Lanes (exec --parallel) left in git's worktree list or on disk. */
async function lanesLeft(dir) {
  const listed = (await git(dir, ["worktree", "list", "--porcelain"])).includes("spe/lanes/");
  const lanes = path.join(dir, ".git", "spe", "lanes");
  const onDisk = fs.existsSync(lanes) && fs.readdirSync(lanes).length > 0;
  return listed || onDisk;
}

async function validatedTip(dir, before, state, problems, when) {
  const tip = await git(dir, ["rev-parse", "HEAD"]);
  if (tip === before.tip) return false;
  const tree = await git(dir, ["rev-parse", "HEAD^{tree}"]);
  if (!state?.finalValidation?.passed || state.finalValidation.tree !== tree)
    problems.push(`${when}: the tip moved to a tree final validation did not pass`);
  const ancestor = await run("git", ["merge-base", "--is-ancestor", before.tip, tip], { cwd: dir });
  if (ancestor.code !== 0) problems.push(`${when}: the new tip does not descend from the old`);
  return true;
}

async function checkUserState(dir, before, state, problems, when) {
  const after = await snapshot(dir);
  if (after.branch !== before.branch) problems.push(`${when}: HEAD is ${after.branch}`);
  if (after.rest !== before.rest)
    problems.push(`${when}: index, working tree, stash or git locks changed: ${after.rest}`);
  return validatedTip(dir, before, state, problems, when);
}

async function checkMerged(dir, before, merge, problems) {
  const state = runState(dir);
  if (state?.status !== "merged") return problems.push(`end: run is ${state?.status}`);
  const tip = await git(dir, ["rev-parse", "HEAD"]);
  if (state.mergeResult?.commit !== tip) problems.push("end: main is not the merge result");
  await checkUserState(dir, before, state, problems, "end");
  if ((await git(dir, ["show", "HEAD:src/math.js"])) !== squareSource.trimEnd())
    problems.push("end: src/math.js is not the validated square");
  if ((await git(dir, ["show", "HEAD:docs/math.md"])) !== docSource.trimEnd())
    problems.push("end: docs/math.md is missing or wrong");
  const backup = await git(dir, ["rev-parse", `refs/spe/backup/${state.runId}`]);
  if (backup !== before.tip) problems.push("end: the backup ref is not the old tip");
  const steps = (
    await git(dir, ["log", "--format=%(trailers:key=Spe-Step,valueonly)", `${before.tip}..HEAD`])
  )
    .split("\n")
    .filter(Boolean)
    .join(",");
  // Under --parallel S2 may land by a merge: both step commits, in the order they were made.
  const found = parallel ? steps.split(",").sort().join(",") : steps;
  const expected = merge === "squash" ? "" : parallel ? "S1,S2" : "S2,S1";
  if (found !== expected) problems.push(`end: step commits ${steps}`);
  if (fs.existsSync(state.worktree)) problems.push("end: the worktree is left");
  if (await lanesLeft(dir)) problems.push("end: a lane is left");
  const branches = await git(dir, ["for-each-ref", "--format=%(refname)", "refs/heads/spe/"]);
  if (branches !== (merge === "squash" ? `refs/heads/spe/${id}` : ""))
    problems.push(`end: branches left: ${branches}`);
}

async function checkAborted(dir, before, problems) {
  const state = runState(dir);
  if (state && state.status !== "aborted" && state.status !== "merged")
    problems.push(`abort: run is ${state.status}`);
  await checkUserState(dir, before, state, problems, "abort");
  if (fs.existsSync(path.join(dir, ".git", "spe", "worktrees", id)))
    problems.push("abort: the worktree is left");
  if (await git(dir, ["for-each-ref", "refs/heads/spe/"])) problems.push("abort: branch left");
  const worktrees = await git(dir, ["worktree", "list", "--porcelain"]);
  if (worktrees.includes("spe/worktrees")) problems.push("abort: git still lists the worktree");
  if (await lanesLeft(dir)) problems.push("abort: a lane is left");
}

const lockFile = (dir) => path.join(dir, ".git", "spe", "locks", `${id}.lock`);

// ------------------------------------------------------------------ one trial
async function trial(n, template, store, duration) {
  const dir = path.join(work, `trial-${n}`);
  fs.cpSync(template, dir, { recursive: true });
  const before = await snapshot(dir);
  const merge = ["ff", "ff", "merge", "squash"][Math.floor(random() * 4)];
  const signal = random() < sigintFraction ? "SIGINT" : "SIGKILL";
  const delayMs = Math.round(random() * duration);
  const action = random() < abortFraction ? "abort" : "resume";
  const problems = [];

  const child = spawn(process.execPath, [cli, "exec", id, "--merge", merge, ...parallelArgs], {
    cwd: dir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on("exit", (code, sig) => resolve({ code, sig })));
  const timer = setTimeout(() => child.kill(signal), delayMs);
  child.on("exit", () => clearTimeout(timer));
  const { code, sig } = await exited;
  clearTimeout(timer);
  if (!(await settle(dir)))
    problems.push(
      `processes of the killed run still running after 30 s: ${processesIn(dir)
        .map((pid) => {
          try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
          } catch {
            return pid;
          }
        })
        .join(" | ")}`,
    );

  const state = runState(dir);
  // The run was over: exit 0, or the signal landed while Node was exiting (handlers gone).
  const finishedFirst = code === 0 || state?.status === "merged";
  const point = killPoint(state);
  if (signal === "SIGINT" && !finishedFirst) {
    // Before the CLI installs its handler, SIGINT ends Node the default way (a shell says 130).
    const early = sig === "SIGINT" && state === undefined;
    if (code !== 130 && !early)
      problems.push(`SIGINT: exit ${code ?? sig}: ${stderr.trim().split("\n").at(-1)}`);
    if (state && state.status !== "interrupted")
      problems.push(`SIGINT: run saved as ${state.status}`);
    if (fs.existsSync(lockFile(dir))) problems.push("SIGINT: the lock is left");
  } else if (signal === "SIGKILL" && !finishedFirst && sig !== "SIGKILL") {
    problems.push(`SIGKILL: exit ${code} before the kill: ${stderr.trim().split("\n").at(-1)}`);
  }
  const merged = await checkUserState(dir, before, state, problems, "after the kill");

  let outcome;
  if (finishedFirst) {
    outcome = "finished before the signal";
    await checkMerged(dir, before, merge, problems);
  } else if (!state) {
    // Killed before the run existed: nothing to resume; a new run must start cleanly.
    outcome = "nothing to resume";
    const again = await spe(dir, ["exec", id, "--merge", merge, ...parallelArgs]);
    if (again.code !== 0) problems.push(`a new run after the kill failed: ${again.stderr}`);
    else await checkMerged(dir, before, merge, problems);
  } else if (action === "abort") {
    const aborted = await spe(dir, ["abort", id]);
    if (aborted.code !== 0) problems.push(`abort failed (${aborted.code}): ${aborted.stderr}`);
    else await checkAborted(dir, before, problems);
    outcome = "aborted";
  } else {
    const resumed = await spe(dir, ["exec", id, "--resume", "--json"]);
    if (resumed.code !== 0)
      problems.push(
        `resume failed (${resumed.code}): ${resumed.stderr.trim().split("\n").slice(-3).join(" | ")}`,
      );
    else await checkMerged(dir, before, merge, problems);
    outcome = "resumed";
  }
  if (problems.length > 0) fs.writeFileSync(`${dir}.stderr.txt`, stderr);
  if (problems.length === 0 && !keep) fs.rmSync(dir, { recursive: true, force: true });
  return { n, store, merge, signal, delayMs, point, merged, outcome, problems, dir };
}

// ------------------------------------------------------------------ main
const started = Date.now();
const templates = { dir: await makeTemplate("dir"), notes: await makeTemplate("notes") };
const durations = {};
for (const store of ["dir", "notes"]) {
  const times = [];
  for (let i = 0; i < 2; i++) {
    const dir = path.join(work, `baseline-${store}-${i}`);
    fs.cpSync(templates[store], dir, { recursive: true });
    const before = await snapshot(dir);
    const t0 = Date.now();
    const result = await spe(dir, ["exec", id, ...parallelArgs]);
    times.push(Date.now() - t0);
    const problems = [];
    if (result.code !== 0) problems.push(result.stderr);
    else await checkMerged(dir, before, "ff", problems);
    if (problems.length)
      throw new Error(`the unkilled run fails (${store}): ${problems.join("; ")}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  durations[store] = Math.round(times.reduce((a, b) => a + b, 0) / times.length);
}
log(`seed ${seed}; a run takes ${durations.dir} ms (store dir), ${durations.notes} ms (notes)`);

const results = [];
for (let n = 1; n <= trials; n++) {
  const store = random() < 0.5 ? "dir" : "notes";
  const result = await trial(n, templates[store], store, durations[store]);
  results.push(result);
  log(
    `#${n} ${result.signal} at ${result.delayMs} ms (${store}, --merge ${result.merge}): ${result.point}; ${result.outcome}${result.problems.length ? ` — VIOLATION: ${result.problems.join("; ")}` : ""}`,
  );
}
await server.close();

const count = (list, key) => {
  const out = {};
  for (const item of list) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return Object.entries(out).sort((a, b) => b[1] - a[1]);
};
const violations = results.filter((r) => r.problems.length > 0);
const lines = [
  `${parallel ? "--parallel: " : ""}seed ${seed}, ${trials} trials, ${Math.round((Date.now() - started) / 1000)} s; run duration D: ${durations.dir} ms (dir), ${durations.notes} ms (notes)`,
  "",
  "| signal | trials |",
  "| --- | --- |",
  ...count(results, (r) => r.signal).map(([k, v]) => `| ${k} | ${v} |`),
  "",
  "| where the run was when it stopped (from the saved run state) | SIGKILL | SIGINT |",
  "| --- | --- | --- |",
  ...count(results, (r) => r.point).map(
    ([k]) =>
      `| ${k} | ${results.filter((r) => r.point === k && r.signal === "SIGKILL").length} | ${results.filter((r) => r.point === k && r.signal === "SIGINT").length} |`,
  ),
  "",
  "| afterwards | trials |",
  "| --- | --- |",
  ...count(results, (r) => r.outcome).map(([k, v]) => `| ${k} | ${v} |`),
  `| the user's branch already at the validated result after the signal | ${results.filter((r) => r.merged).length} |`,
  "",
  `resumes that completed: ${results.filter((r) => r.outcome === "resumed" && r.problems.length === 0).length} of ${results.filter((r) => r.outcome === "resumed").length}`,
  `aborts that cleaned up: ${results.filter((r) => r.outcome === "aborted" && r.problems.length === 0).length} of ${results.filter((r) => r.outcome === "aborted").length}`,
  `trials with invariant violations: ${violations.length}`,
  ...violations.map(
    (v) =>
      `- #${v.n} (${v.signal} at ${v.delayMs} ms, ${v.point}, kept in ${v.dir}, its stderr in ${v.dir}.stderr.txt): ${v.problems.join("; ")}`,
  ),
];
console.log(lines.join("\n"));
if (violations.length === 0 && !keep) fs.rmSync(work, { recursive: true, force: true });
process.exit(violations.length > 0 ? 1 : 0);
