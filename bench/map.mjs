#!/usr/bin/env node
// Benchmark and check: a plan-sized repository map of the large corpus (issue 18).
//
//   npm run build && node bench/map.mjs [--budget 1000000]
//
// The large corpus of bench/context.mjs (`--corpus-only`: ~27,600 files of real third-party
// source, ~13 M tokens whole) packed the way the plan phase packs (phase-context.ts: every
// tracked file, the files the request names, `map: true`, within the phase's budget) through
// the CLI: `git spe context --all NAMED… --budget N --map`. Cold (no .git/spe: every file
// read, counted, scanned, and outlined on the analysis pool), then again with the caches (no
// stored pack: map packs are never stored). It checks, and exits 1 when one does not hold:
//   - the document's tokens, counted again here with gpt-tokenizer (o200k), are exactly the
//     total the pack reports, and at most the budget;
//   - every file `git spe context --all` packs is in the map at one level: whole or as an
//     outline in <files>, or by its path in the directory structure (rebuilt from the tree);
//   - every named file is whole, byte for byte.
// Writes bench/RESULTS-map.md with the machine, the command, the levels and the times.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { buildCorpora, builtCli, log, machine, plainText, root, writeResults } from "./common.mjs";

const args = process.argv.slice(2);
const budgetAt = args.indexOf("--budget");
const budget = budgetAt === -1 ? 1_000_000 : Number(args[budgetAt + 1]);
const cli = builtCli();

const { large } = buildCorpora();
const work = path.dirname(large);

function run(argv) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...argv], {
      cwd: large,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`git spe ${argv.join(" ")}: exit ${code}: ${stderr}`));
      else resolve({ wallMs: performance.now() - started, summary: JSON.parse(stdout), stderr });
    });
  });
}

// What a request would name: a few source files in different parts of the tree (the largest
// TypeScript, JavaScript and Python files under 30 KB in four packages).
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: large, maxBuffer: 1 << 28 })
  .toString("utf8")
  .split("\0")
  .filter(Boolean);
const sized = tracked
  .filter((f) => /\.(ts|js|py)$/.test(f) && !f.endsWith(".d.ts"))
  .map((f) => ({ f, size: fs.statSync(path.join(large, f)).size }))
  .filter((x) => x.size < 30_000)
  .sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1));
const named = [];
const packages = new Set();
for (const { f } of sized) {
  const pkg = f.split("/").slice(0, 2).join("/");
  if (packages.has(pkg)) continue;
  packages.add(pkg);
  named.push(f);
  if (named.length === 4) break;
}
log(`named: ${named.join(", ")}`);

log("the whole selection, for its size");
const whole = await run(["context", "--all", "--json", "-o", path.join(work, "whole.xml")]);
fs.rmSync(path.join(large, ".git", "spe"), { recursive: true, force: true });
const out = path.join(work, "map.xml");
const argv = [
  "context",
  "--all",
  ...named,
  "--budget",
  String(budget),
  "--map",
  "--json",
  "-o",
  out,
];
log(`cold: git spe ${argv.join(" ")}`);
const cold = await run(argv);
log(`cold: ${cold.wallMs.toFixed(0)} ms`);
const warm = await run(argv);
log(`with the caches: ${warm.wallMs.toFixed(0)} ms`);

// The checks.
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  log(`${ok ? "ok" : "FAILED"}: ${what}`);
};
const document = fs.readFileSync(out, "utf8");
const counted = countTokens(document, plainText);
const { totalTokens, levels } = cold.summary;
check(counted === totalTokens, `recounted ${counted} = reported ${totalTokens}`);
check(totalTokens <= budget, `${totalTokens} ≤ budget ${budget}`);
check(warm.summary.totalTokens === totalTokens, "the second run packs the same total");

const tree = /<directory_structure>\n([\s\S]*?)\n<\/directory_structure>/.exec(document)?.[1];
const inTree = new Set();
const stack = [];
for (const line of (tree ?? "").split("\n")) {
  const depth = (line.length - line.trimStart().length) / 2;
  const name = line.trim();
  stack.length = depth;
  if (name.endsWith("/")) stack.push(name.slice(0, -1));
  else inTree.add([...stack, name].join("/"));
}
const inFiles = new Map();
for (const m of document.matchAll(/<file path="([^"]*)">\n([\s\S]*?)<\/file>\n/g))
  inFiles.set(
    m[1]
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&amp;/g, "&"),
    m[2],
  );
const packedWhole = whole.summary.files;
const selected = tracked.filter(
  (f) => !whole.summary.skipped.some((s) => s.path === f) && !f.startsWith(".spe"),
);
const missing = selected.filter((f) => !inTree.has(f));
check(
  selected.length === packedWhole && missing.length === 0,
  `all ${packedWhole} packed files are in the map's tree (missing: ${missing.length})`,
);
const levelsTotal = levels.whole.files + levels.outline.files + levels.path.files;
check(
  levelsTotal === packedWhole,
  `levels add up: ${levels.whole.files} whole + ${levels.outline.files} outlines + ${levels.path.files} paths = ${levelsTotal}`,
);
check(
  inFiles.size === levels.whole.files + levels.outline.files,
  `<files> holds the whole files and the outlines (${inFiles.size})`,
);
for (const f of named) {
  const onDisk = fs.readFileSync(path.join(large, f), "utf8");
  const content = inFiles.get(f);
  check(
    content === onDisk || content === `${onDisk}\n`,
    `named ${f} is whole (${onDisk.length} chars)`,
  );
}

const num = (n) => n.toLocaleString("en-US");
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const lines = [
  "# A plan-sized repository map of the large corpus",
  "",
  `Machine: ${machine()}.`,
  "",
  `Command: \`node bench/map.mjs ${args.join(" ")}\` (after \`npm run build\`), ${new Date().toISOString().slice(0, 10)}: \`git spe context --all NAMED… --budget ${budget} --map\` on the large corpus of \`bench/context.mjs --corpus-only\`, as the plan phase packs (every tracked file, the files the request names, map on).`,
  "",
  `Named files: ${named.map((f) => `\`${f}\``).join(", ")}.`,
  "",
  "| | files | tokens |",
  "| --- | --- | --- |",
  `| the selection whole (\`context --all\`) | ${num(packedWhole)} | ${num(whole.summary.totalTokens)} |`,
  `| whole in the map | ${num(levels.whole.files)} | ${num(levels.whole.tokens)} |`,
  `| outlines in the map | ${num(levels.outline.files)} | ${num(levels.outline.tokens)} |`,
  `| by path only | ${num(levels.path.files)} | (${num(levels.path.tokens)} whole) |`,
  `| the map's document | ${num(levelsTotal)} | ${num(totalTokens)} (budget ${num(budget)}; recounted: ${num(counted)}) |`,
  "",
  `Times: cold ${s(cold.wallMs)} (every file read, counted, scanned and outlined); again with the caches ${s(warm.wallMs)} (map packs are not stored, so every file is read again).`,
  "",
  failures.length === 0
    ? "Checks: all held — the exact count is the reported total and within the budget; every packed file is in the map's tree at one level; the named files are whole."
    : `Checks FAILED: ${failures.join("; ")}.`,
  "",
];
const resultsFile = path.join(root, "bench", "RESULTS-map.md");
writeResults(resultsFile, lines.join("\n"));
console.log(fs.readFileSync(resultsFile, "utf8"));
fs.rmSync(work, { recursive: true, force: true });
process.exit(failures.length === 0 ? 0 : 1);
