#!/usr/bin/env node
// Benchmark: `git spe context --all` against repomix on the same files, cold and warm.
//
//   node bench/context.mjs [--repeats N] [--large FILES] [--max-file-kb N | --heavy] [--stdin-large] [--keep]
//   node bench/context.mjs --corpus-only      (build the corpora, print their paths, keep them)
//
// Builds two corpora as git repositories from real third-party source available offline
// (this project's node_modules, a temporary repomix install's node_modules, npm's own
// tree, Python's standard library): a mid one (~3,000 files) and a large one (20,000+ files). Installs repomix (the
// newest release that runs on Node 20) into a temp dir, runs every tool as a separate
// process, samples the whole process tree's RSS from /proc, and writes bench/RESULTS.md.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeResults } from "./common.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const repeats = option("repeats", 3);
const repomixVersion = "1.14"; // 1.16+ needs Node 22
const work = fs.mkdtempSync(path.join(os.tmpdir(), "git-spe-bench-"));
const log = (...parts) => console.error(`[bench] ${parts.join(" ")}`);

function sh(cmd, argv, opts = {}) {
  return execFileSync(cmd, argv, {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "pipe"],
    ...opts,
  });
}

// ---------------------------------------------------------------- corpus
// The reference corpus is 27,600 files / 40 MB (1.45 KB a file): small source files.
// --heavy keeps files up to 256 KB instead, for a byte-heavy corpus (5 KB a file here).
const maxBytes = flag("heavy") ? 256 * 1024 : option("max-file-kb", 8) * 1024;
function isText(file) {
  const fd = fs.openSync(file, "r");
  const head = Buffer.alloc(8000);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  return !head.subarray(0, n).includes(0);
}
// Names repomix ignores by default anywhere in the tree: keep them out so both tools see one list.
// Build output, not source: source maps are skipped as such (and cost far more per byte).
const buildOutput = /\.map$/;
const repomixIgnoredNames =
  /^(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Pipfile\.lock|poetry\.lock|uv\.lock|Cargo\.lock|composer\.lock|Gemfile\.lock|go\.sum|mix\.lock|.*\.log|.*\.sw[pon]|.*\.bak|\.DS_Store|Thumbs\.db)$/;
const repomixIgnoredDirs = new Set([
  "node_modules",
  "bower_components",
  "jspm_packages",
  ".bundle",
  ".gradle",
  ".npm",
  ".yarn",
  "__pycache__",
  "venv",
  ".venv",
  "target",
  ".git",
]);

function walk(dir, out, rel = "") {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), out, relPath);
    else if (entry.isFile()) out.push(relPath);
  }
}

function collectSources(sources) {
  const files = [];
  const seen = new Set();
  for (const [label, dir] of sources) {
    if (!fs.existsSync(dir)) continue;
    const found = [];
    walk(dir, found);
    found.sort();
    for (const rel of found) {
      const target = `${label}/${rel
        .split("/")
        .map((s) => (s === "node_modules" ? "pkgs" : s))
        .join("/")}`;
      const segments = target.split("/");
      const name = segments.at(-1);
      if (
        buildOutput.test(name) ||
        repomixIgnoredNames.test(name) ||
        segments.some((s) => repomixIgnoredDirs.has(s))
      )
        continue;
      const source = path.join(dir, rel);
      const size = fs.statSync(source).size;
      if (size === 0 || size > maxBytes || !isText(source)) continue;
      // One copy of each content: duplicates would flatter git spe, which counts a blob once.
      const hash = createHash("sha1").update(fs.readFileSync(source)).digest("hex");
      if (seen.has(hash)) continue;
      seen.add(hash);
      files.push({ source, target, size });
    }
  }
  // Sources in the order given (the node_modules trees first), each in path order.
  return files;
}

function makeCorpus(name, files) {
  const dir = path.join(work, name);
  for (const file of files) {
    const dest = path.join(dir, file.target);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(file.source, dest);
  }
  const git = (...argv) =>
    sh("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", ...argv], {
      cwd: dir,
    });
  git("init", "-q", "-b", "main");
  git("config", "gc.auto", "0");
  git("add", "-A");
  git("commit", "-q", "-m", "corpus");
  const listed = sh("git", ["ls-files", "-z"], { cwd: dir }).split("\0").filter(Boolean);
  const bytes = files.reduce((s, f) => s + f.size, 0);
  log(`${name}: ${listed.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
  return { name, dir, files: listed.length, bytes };
}

// ---------------------------------------------------------------- measuring
function treeRss(rootPid) {
  // Sum VmRSS over the process and its descendants (repomix may use child processes).
  const children = new Map();
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    } catch {
      // gone already
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // the process ended between listing and reading
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * Each run starts quiescent, whatever the tool: its previous output removed (no tool pays for
 * truncating a 47 MB file whose pages are still being written back) and `sync` run, so no
 * writeback from an earlier run competes with this one.
 */
function quiesce(output) {
  fs.rmSync(output, { force: true });
  execFileSync("sync");
}

function measure(cmd, argv, { cwd, input } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, argv, {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 15);
    child.stdin.end(input ?? "");
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({ code, wallMs: performance.now() - started, peakMB: peak / 1e6, stdout, stderr });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function repeat(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await fn(i));
  return {
    ...runs.at(-1),
    wallMs: median(runs.map((r) => r.wallMs)),
    peakMB: median(runs.map((r) => r.peakMB)),
    runs: runs.length,
  };
}

function check(result, label) {
  if (result.code !== 0)
    throw new Error(`${label} failed (${result.code}): ${result.stderr.slice(-2000)}`);
  return result;
}

const speCli = path.join(root, "dist", "cli.js");
async function speRun(corpus, { cold }) {
  if (cold) fs.rmSync(path.join(corpus.dir, ".git", "spe"), { recursive: true, force: true });
  const out = path.join(work, `${corpus.name}-spe.xml`);
  quiesce(out);
  const r = check(
    await measure(process.execPath, [speCli, "context", "--all", "--json", "-o", out], {
      cwd: corpus.dir,
    }),
    "git spe context",
  );
  const summary = JSON.parse(r.stdout);
  const digest = createHash("sha256").update(fs.readFileSync(out)).digest("hex");
  return {
    ...r,
    tokens: summary.totalTokens,
    files: summary.files,
    reused: summary.reused,
    digest,
  };
}

function parseRepomix(stdout) {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const text = stdout.replace(/\u001b\[[0-9;]*m/g, "");
  const num = (label) =>
    Number((new RegExp(`${label}:\\s*([\\d,]+)`).exec(text)?.[1] ?? "NaN").replace(/,/g, ""));
  return { files: num("Total Files"), tokens: num("Total Tokens") };
}

const repomixBin = () => path.join(work, "repomix", "node_modules", ".bin", "repomix");
async function repomixRun(corpus, mode) {
  const out = path.join(work, `${corpus.name}-repomix-${mode}.xml`);
  const argv =
    mode === "stdin"
      ? ["--stdin", "--style", "xml", "-o", out]
      : [".", "--style", "xml", "-o", out];
  const input = mode === "stdin" ? sh("git", ["ls-files"], { cwd: corpus.dir }) : undefined;
  quiesce(out);
  const r = check(await measure(repomixBin(), argv, { cwd: corpus.dir, input }), `repomix ${mode}`);
  return { ...r, ...parseRepomix(r.stdout) };
}

// ---------------------------------------------------------------- main
if (!fs.existsSync(speCli)) sh("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
log(`work dir ${work}`);
log(`installing repomix@${repomixVersion}`);
fs.mkdirSync(path.join(work, "repomix"));
sh("npm", [
  "install",
  "--prefix",
  path.join(work, "repomix"),
  `repomix@${repomixVersion}`,
  "--no-audit",
  "--no-fund",
  "--loglevel=error",
]);
const repomixInstalled = sh(repomixBin(), ["--version"]).trim();
log(`repomix ${repomixInstalled}`);

const pythonStdlib = (() => {
  try {
    return sh("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]).trim();
  } catch {
    return undefined;
  }
})();
const all = collectSources([
  ["project", path.join(root, "node_modules")],
  ["repomix-install", path.join(work, "repomix", "node_modules")],
  ["npm", "/usr/lib/node_modules"],
  ...(pythonStdlib ? [["python-stdlib", pythonStdlib]] : []),
]);
// 27,600 files: the size of the repomix reference measurement quoted in the issue.
const largeFiles = all.slice(0, option("large", 27600));
if (largeFiles.length < 20000)
  log(`warning: only ${largeFiles.length} source files found (want 20,000+)`);
const step = Math.max(1, Math.floor(largeFiles.length / 3000));
const mid = makeCorpus("mid", largeFiles.filter((_, i) => i % step === 0).slice(0, 3000));
const large = makeCorpus("large", largeFiles);

if (flag("corpus-only")) {
  console.log(JSON.stringify({ mid: mid.dir, large: large.dir }));
  process.exit(0);
}

const results = [];
for (const corpus of [mid, large]) {
  log(`${corpus.name}: git spe cold ×${repeats}`);
  const speCold = await repeat(repeats, () => speRun(corpus, { cold: true }));
  // The last cold run left the blob-id cache and the pack's first-request mark: this second
  // request counts nothing and stores the pack; the runs after it reuse the stored pack.
  log(`${corpus.name}: git spe second pack (stores it)`);
  const speSecond = await repeat(1, () => speRun(corpus, { cold: false }));
  log(`${corpus.name}: git spe warm ×${repeats}`);
  const speWarm = await repeat(repeats, () => speRun(corpus, { cold: false }));
  log(`${corpus.name}: repomix directory walk ×${repeats}`);
  const walkRun = await repeat(repeats, () => repomixRun(corpus, "walk"));
  const stdinRepeats = corpus === large && !flag("stdin-large") ? 1 : repeats;
  log(`${corpus.name}: repomix --stdin ×${stdinRepeats}`);
  const stdinRun = await repeat(stdinRepeats, () => repomixRun(corpus, "stdin"));
  if (speCold.reused || speSecond.reused || !speWarm.reused)
    throw new Error(`${corpus.name}: the warm runs must reuse the stored pack, and only they`);
  if (new Set([speCold.digest, speSecond.digest, speWarm.digest]).size !== 1)
    throw new Error(`${corpus.name}: cold, second and warm packs differ`);
  results.push({ corpus, speCold, speSecond, speWarm, walkRun, stdinRun });
}

// ---------------------------------------------------------------- report
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMB = (mb) => `${Math.round(mb)} MB`;
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
const lines = [
  "# Context packing benchmark: git spe vs repomix",
  "",
  `Generated by \`node bench/context.mjs ${args.join(" ")}\` on ${new Date().toISOString().slice(0, 10)}.`,
  "",
  `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}; Node ${process.version}; ${sh("git", ["--version"]).trim()}; repomix ${repomixInstalled}; git-spe ${JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version}.`,
  "",
  "Corpora: git repositories made by the script from this project's `node_modules`, a temporary repomix install's `node_modules`, npm's own tree and Python's standard library: text files (git's NUL-byte test) up to " +
    `${maxBytes / 1024} KB` +
    ", one copy of each distinct content (git spe counts a blob once, so duplicates would flatter it), no source maps (build output) and none of the names repomix ignores by default, so both tools get the same file list. The large corpus takes the first files in source order up to the target count; the mid corpus samples every n-th.",
  "Each tool runs as its own process, from a quiescent start (its previous output removed, `sync` run); wall time and peak RSS (summed over the process tree, sampled every 15 ms from /proc) are medians of the runs shown.",
  'Cold: no git spe cache (`.git/spe` removed). Second pack: the blob-id cache from the cold run (nothing is counted or scanned; every file is read) and the pack is stored, as a pack asked for a second time is. Warm: the packs after that, which reuse the stored pack (every selected path is lstat-ed, no file is read). The OS page cache is warm for every run. repomix has no cache, so its runs are all "cold".',
  "",
  "| corpus | files | MB | tool | runs | wall | peak RSS | tokens | files packed |",
  "|---|---:|---:|---|---:|---:|---:|---:|---:|",
];
for (const { corpus, speCold, speSecond, speWarm, walkRun, stdinRun } of results) {
  const row = (tool, r) =>
    `| ${corpus.name} | ${corpus.files} | ${(corpus.bytes / 1e6).toFixed(1)} | ${tool} | ${r.runs} | ${fmtS(r.wallMs)} | ${fmtMB(r.peakMB)} | ${r.tokens.toLocaleString("en-US")} | ${r.files} |`;
  lines.push(
    row("git spe context, cold", speCold),
    row("git spe context, second pack", speSecond),
    row("git spe context, warm", speWarm),
    row("repomix (directory walk)", walkRun),
    row("repomix --stdin", stdinRun),
  );
}
lines.push(
  "",
  "## Ratios (measured in the same run)",
  "",
  "| corpus | vs | cold speed-up | warm speed-up | memory (repomix ÷ git spe, cold) | token totals (git spe vs repomix) |",
  "|---|---|---:|---:|---:|---:|",
);
for (const { corpus, speCold, speWarm, walkRun, stdinRun } of results) {
  for (const [label, r] of [
    ["directory walk", walkRun],
    ["--stdin", stdinRun],
  ]) {
    const diff = ((speCold.tokens - r.tokens) / r.tokens) * 100;
    lines.push(
      `| ${corpus.name} | repomix ${label} | ${ratio(r.wallMs, speCold.wallMs)} | ${ratio(r.wallMs, speWarm.wallMs)} | ${ratio(r.peakMB, speCold.peakMB)} | ${diff >= 0 ? "+" : ""}${diff.toFixed(2)}% |`,
    );
  }
}
// Each target of issue 3 with the number measured for it; the --stdin targets do not say cold
// or warm, so both are shown.
const [midResult, largeResult] = results;
const verdicts = [];
const verdict = (target, measured, met) =>
  verdicts.push(`| ${target} | ${measured} | ${met ? "yes" : "no"} |`);
if (midResult && largeResult) {
  const speedup = (r, tool, mode) =>
    r[tool].wallMs / (mode === "cold" ? r.speCold : r.speWarm).wallMs;
  const large = largeResult;
  const coldWalk = speedup(large, "walkRun", "cold");
  const warmWalk = speedup(large, "walkRun", "warm");
  const memory = large.walkRun.peakMB / large.speCold.peakMB;
  verdict("large, vs the directory walk, cold: ≥ 4×", `${coldWalk.toFixed(1)}×`, coldWalk >= 4);
  verdict("large, vs the directory walk, warm: ≥ 20×", `${warmWalk.toFixed(1)}×`, warmWalk >= 20);
  verdict("large, peak memory ≤ half the walk's", `${memory.toFixed(1)}× less`, memory >= 2);
  for (const mode of ["cold", "warm"]) {
    const mid = speedup(midResult, "stdinRun", mode);
    verdict(`mid, vs --stdin, ${mode}: ≥ 5×`, `${mid.toFixed(1)}×`, mid >= 5);
  }
  for (const mode of ["cold", "warm"]) {
    const x = speedup(large, "stdinRun", mode);
    verdict(`large, vs --stdin, ${mode}: ≥ 40×`, `${x.toFixed(1)}×`, x >= 40);
  }
  for (const r of [midResult, largeResult]) {
    const diff = Math.abs((r.speCold.tokens - r.walkRun.tokens) / r.walkRun.tokens) * 100;
    // The target is for the same files: say so when the tools packed different sets.
    const files =
      r.speCold.files === r.walkRun.files
        ? ""
        : ` (different files: ${r.speCold.files} packed vs repomix's ${r.walkRun.files})`;
    verdict(`${r.corpus.name}, token totals within 1%`, `${diff.toFixed(2)}%${files}`, diff <= 1);
  }
}
lines.push(
  "",
  flag("heavy")
    ? "## Issue 3's targets applied to these corpora (informational: they are set for the reference shape, RESULTS.md)"
    : "## Targets (issue 3)",
  "",
  "| target | measured | met |",
  "|---|---|---|",
  ...verdicts,
  "",
);
const out = args.includes("--out")
  ? path.resolve(args[args.indexOf("--out") + 1])
  : path.join(root, "bench", flag("heavy") ? "RESULTS-heavy.md" : "RESULTS.md");
writeResults(out, `${lines.join("\n")}\n`);
log(`wrote ${out}`);
console.log(lines.join("\n"));
if (!flag("keep")) fs.rmSync(work, { recursive: true, force: true });
else log(`kept ${work}`);
