#!/usr/bin/env node
// Benchmark: `exec --parallel 3` against one step after another.
//
//   npm run build && node bench/parallel.mjs [--runs 3]
//
// A 6-step plan of 3 independent chains (S1→S4, S2→S5, S3→S6; S2 and S3 with dependsOn: []),
// each step creating one file and validated with `node --test`, in a small Node project. The
// scripted model (dist/mock-model.js on 127.0.0.1) takes 2 s to answer the first turn of every
// step, then says it is done. Each round copies one template repository twice and runs
// `git spe exec` (the built CLI, sandbox on) sequentially (--parallel 1) and with --parallel 3,
// in alternating order; it checks that both merged and that main has the same tree. Writes
// bench/RESULTS-parallel.md: the machine, the command, every time and the median ratio
// (the target: ≤ 0.45).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { machine, writeResults } from "./common.mjs";

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
const runsIndex = args.indexOf("--runs");
const rounds = runsIndex === -1 ? 3 : Number(args[runsIndex + 1]);
const modelMs = 2000;
const log = (...parts) => console.error(`[bench] ${parts.join(" ")}`);
const execFileP = promisify(execFile);

const id = "20261206-three-chains";
const chains = ["a", "b", "c"];
const stepFile = (n) => `chain-${chains[(n - 1) % 3]}/part-${n <= 3 ? 1 : 2}.md`;
const plan = {
  title: "Three chains",
  summary: "Three independent chains of two steps.",
  steps: [1, 2, 3, 4, 5, 6].map((n) => ({
    id: `S${n}`,
    title: `Write ${stepFile(n)}`,
    description: `Create ${stepFile(n)}.`,
    files: [{ path: stepFile(n), action: "create" }],
    ...(n === 2 || n === 3 ? { dependsOn: [] } : n > 3 ? { dependsOn: [`S${n - 3}`] } : {}),
  })),
};
const spec = {
  title: "Three chains",
  goal: "Six files in three chains.",
  context: "A small Node project.",
  acceptanceCriteria: ["every file exists"],
  outOfScope: [],
  openQuestions: [],
};

/** Turn 0 of a step: wait 2 s, then create its file; turn 1: done. */
function answer(request) {
  const { messages } = request.body;
  const first = messages[0].content;
  const text = typeof first === "string" ? first : first.map((b) => b.text ?? "").join("");
  const n = Number(/# Your step: S(\d+)/.exec(text)?.[1] ?? 1);
  const turn = messages.filter((m) => m.role === "assistant").length;
  if (turn > 0) return { text: `Wrote ${stepFile(n)}.` };
  const input = { command: "create", path: stepFile(n), file_text: `part of S${n}\n` };
  return { toolCalls: [{ name: "str_replace_based_edit_tool", input }], delayMs: modelMs };
}

const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "git-spe-parallel-")));
const server = await startMockModelServer();
const gitconfig = path.join(work, "gitconfig");
fs.writeFileSync(
  gitconfig,
  "[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n",
);
const env = {};
for (const [key, value] of Object.entries(process.env))
  if (!/^(GIT_|npm_|ANTHROPIC_|GEMINI_|GOOGLE_|OPENAI_|SPE)/.test(key)) env[key] = value;
Object.assign(env, {
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: "1",
  ANTHROPIC_API_KEY: "bench-not-a-real-key",
  ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
  GEMINI_API_KEY: "bench-not-a-real-key",
  GOOGLE_GEMINI_BASE_URL: server.geminiBaseUrl,
});
async function run(cmd, argv, cwd) {
  try {
    const { stdout } = await execFileP(cmd, argv, { cwd, env, maxBuffer: 1 << 26 });
    return stdout.trim();
  } catch (error) {
    throw new Error(`${cmd} ${argv.join(" ")} failed: ${error.stderr ?? error.message}`);
  }
}
const git = (cwd, ...argv) => run("git", argv, cwd);
const spe = (cwd, ...argv) => run(process.execPath, [cli, ...argv], cwd);

// ------------------------------------------------------------------ the template
const template = path.join(work, "template");
fs.mkdirSync(path.join(template, "test"), { recursive: true });
fs.writeFileSync(
  path.join(template, "package.json"),
  `${JSON.stringify({ name: "chains", version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2)}\n`,
);
fs.writeFileSync(
  path.join(template, "test", "ok.test.js"),
  'import test from "node:test";\ntest("ok", () => {});\n',
);
fs.writeFileSync(
  path.join(template, ".sperc.json"),
  `${JSON.stringify({ validate: ["node --test"], models: { exec: "anthropic:claude-sonnet-5-5" }, exec: { worktree: { deps: "none" }, maxRepairs: 0 } }, null, 2)}\n`,
);
await git(template, "init", "-q", "-b", "main");
await git(template, "add", "-A");
await git(template, "commit", "-q", "-m", "project");
server.reply("gemini", { text: JSON.stringify(spec) }, { text: JSON.stringify(plan) });
await spe(template, "spec", "three chains of files", "--id", id);
await spe(template, "plan", id);
server.handle("anthropic", answer);
const base = await git(template, "rev-parse", "HEAD");

async function timedRun(label, parallel, n) {
  const dir = path.join(work, `${label}-${n}`);
  fs.cpSync(template, dir, { recursive: true });
  const t0 = process.hrtime.bigint();
  const out = JSON.parse(await spe(dir, "exec", id, "--parallel", String(parallel), "--json"));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (out.status !== "merged") throw new Error(`${label} run ${n}: ${out.status}`);
  const tree = await git(dir, "rev-parse", "main^{tree}");
  const subjects = (
    await git(dir, "log", "--first-parent", "--reverse", "--format=%s", `${base}..HEAD`)
  ).split("\n");
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, tree, subjects };
}

const sequential = [];
const parallel = [];
for (let n = 1; n <= rounds; n++) {
  const order = n % 2 ? ["seq", "par"] : ["par", "seq"];
  for (const label of order) {
    const result = await timedRun(label, label === "seq" ? 1 : 3, n);
    (label === "seq" ? sequential : parallel).push(result);
    log(`round ${n} ${label}: ${result.seconds.toFixed(2)} s, tree ${result.tree.slice(0, 12)}`);
  }
}
await server.close();
fs.rmSync(work, { recursive: true, force: true });

const trees = new Set([...sequential, ...parallel].map((r) => r.tree));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seqMedian = median(sequential.map((r) => r.seconds));
const parMedian = median(parallel.map((r) => r.seconds));
const ratios = sequential.map((s, i) => parallel[i].seconds / s.seconds);
const ratio = parMedian / seqMedian;
const gitVersion = await run("git", ["--version"], root);
const lines = [
  "# Parallel steps: `exec --parallel 3` against one step after another",
  "",
  `Machine: ${machine()}; ${gitVersion}.`,
  "",
  `Command: \`node bench/parallel.mjs --runs ${rounds}\` (after \`npm run build\`), ${new Date().toISOString().slice(0, 10)}. A 6-step plan of 3 independent chains (S1→S4, S2→S5, S3→S6), every step one file and \`node --test\`; the scripted model takes ${modelMs / 1000} s on each step's first turn. Sequential and parallel runs alternate, so machine noise hits both; the sandbox is on.`,
  "",
  "| measure | sequential (`--parallel 1`) | `--parallel 3` | ratio | target | verdict |",
  "| --- | --- | --- | --- | --- | --- |",
  `| wall time, median of ${rounds} | ${seqMedian.toFixed(2)} s | ${parMedian.toFixed(2)} s | ${ratio.toFixed(2)}× | ≤ 0.45× | ${ratio <= 0.45 ? "met" : "not met"} |`,
  `| merged tree | ${sequential[0].tree.slice(0, 12)} | ${parallel[0].tree.slice(0, 12)} | | same | ${trees.size === 1 ? "same in every run" : "DIFFERENT"} |`,
  "",
  `Every run, sequential: ${sequential.map((r) => r.seconds.toFixed(2)).join(", ")} s; parallel: ${parallel.map((r) => r.seconds.toFixed(2)).join(", ")} s; per-round ratios: ${ratios.map((r) => r.toFixed(2)).join(", ")}.`,
  "",
  `Main's history (first parents), sequential: ${sequential[0].subjects.join("; ")}.`,
  "",
  `With --parallel 3 (a step whose lane started before the tip moved lands by a merge commit, "Land S…"): ${parallel[0].subjects.join("; ")}.`,
  "",
];
const results = path.join(root, "bench", "RESULTS-parallel.md");
writeResults(results, lines.join("\n"));
console.log(lines.join("\n"));
process.exit(trees.size === 1 && ratio <= 0.45 ? 0 : 1);
