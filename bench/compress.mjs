#!/usr/bin/env node
// Benchmark: `git spe context --all --compress` against `repomix --compress` (issue 18).
//
//   npm run build && node bench/compress.mjs [--repeats 3] [--no-large]
//
// Builds the corpora of bench/context.mjs (`--corpus-only`: git repositories of real
// third-party source, mid ~3,000 files and large ~27,600, and a repomix 1.14 install beside
// them), then on each: git spe cold (no .git/spe: every file parsed and counted), git spe warm
// (no .git/spe/cache/packs: the stored pack is not reused, so every file is read again and each
// outline comes from the outline cache), and repomix --compress (its tree-sitter compression,
// which has no cache). Each run is its own process; wall times are medians. Writes
// bench/RESULTS-compress.md: the machine, the commands, the numbers and issue 18's targets
// (outline tokens ≤ repomix's; cold ≥ 3× and warm ≥ 20× faster).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const repeatsAt = args.indexOf("--repeats");
const repeats = repeatsAt === -1 ? 3 : Number(args[repeatsAt + 1]);
const withLarge = !args.includes("--no-large");
const log = (...parts) => console.error(`[bench] ${parts.join(" ")}`);
const cli = path.join(root, "dist", "cli.js");
if (!fs.existsSync(cli)) {
  console.error("dist/cli.js is missing: run npm run build first");
  process.exit(2);
}

log("building the corpora (bench/context.mjs --corpus-only)");
const corpora = JSON.parse(
  execFileSync(process.execPath, [path.join(root, "bench", "context.mjs"), "--corpus-only"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
  }),
);
const work = path.dirname(corpora.mid);
const repomix = path.join(work, "repomix", "node_modules", ".bin", "repomix");
const repomixVersion = execFileSync(repomix, ["--version"], { encoding: "utf8" }).trim();

function run(cmd, argv, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0)
        reject(new Error(`${cmd} ${argv.join(" ")}: exit ${code}: ${stderr.slice(-1500)}`));
      else resolve({ wallMs, stdout, stderr });
    });
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function spe(dir, mode) {
  if (mode === "cold") fs.rmSync(path.join(dir, ".git", "spe"), { recursive: true, force: true });
  else fs.rmSync(path.join(dir, ".git", "spe", "cache", "packs"), { recursive: true, force: true });
  const out = path.join(work, `${path.basename(dir)}-spe-compress.xml`);
  const r = await run(
    process.execPath,
    [cli, "context", "--all", "--compress", "--json", "-o", out],
    dir,
  );
  const summary = JSON.parse(r.stdout);
  return { wallMs: r.wallMs, tokens: summary.totalTokens, files: summary.files };
}

async function repomixCompress(dir) {
  const out = path.join(work, `${path.basename(dir)}-repomix-compress.xml`);
  const r = await run(repomix, [".", "--compress", "--style", "xml", "-o", out], dir);
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const text = r.stdout.replace(/\u001b\[[0-9;]*m/g, "");
  const num = (label) =>
    Number((new RegExp(`${label}:\\s*([\\d,]+)`).exec(text)?.[1] ?? "NaN").replace(/,/g, ""));
  return { wallMs: r.wallMs, tokens: num("Total Tokens"), files: num("Total Files") };
}

async function times(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await fn());
  return {
    ...runs.at(-1),
    wallMs: median(runs.map((r) => r.wallMs)),
    all: runs.map((r) => r.wallMs),
  };
}

const results = [];
for (const [name, dir] of Object.entries(corpora)) {
  if (name === "large" && !withLarge) continue;
  const n = name === "large" ? 1 : repeats;
  log(`${name}: git spe --compress cold ×${n}`);
  const cold = await times(n, () => spe(dir, "cold"));
  log(`${name}: git spe --compress warm ×${n}`);
  const warm = await times(n, () => spe(dir, "warm"));
  log(`${name}: repomix --compress ×${n}`);
  const rx = await times(n, () => repomixCompress(dir));
  results.push({ name, cold, warm, rx });
  log(
    `${name}: spe cold ${cold.wallMs.toFixed(0)} ms, warm ${warm.wallMs.toFixed(0)} ms, repomix ${rx.wallMs.toFixed(0)} ms; tokens ${cold.tokens} vs ${rx.tokens}`,
  );
}

const cpus = os.cpus();
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const lines = [
  "# Outlines: `git spe context --compress` against `repomix --compress`",
  "",
  `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type().toLowerCase()} ${os.release()}; Node ${process.version}; repomix ${repomixVersion}.`,
  "",
  `Command: \`node bench/compress.mjs ${args.join(" ")}\` (after \`npm run build\`), ${new Date().toISOString().slice(0, 10)}. Corpora from \`bench/context.mjs --corpus-only\`. Cold: no \`.git/spe\`. Warm: the caches kept (token counts, secret verdicts, outlines) but no stored pack, so every file is read and every outline comes from the outline cache. repomix has no cache. Medians of the runs shown (the large corpus once).`,
  "",
  "| corpus | files (spe / repomix) | git spe cold | git spe warm | repomix --compress | cold speed-up | warm speed-up | tokens git spe | tokens repomix | tokens ratio |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...results.map(
    ({ name, cold, warm, rx }) =>
      `| ${name} | ${cold.files} / ${rx.files} | ${s(cold.wallMs)} | ${s(warm.wallMs)} | ${s(rx.wallMs)} | ${(rx.wallMs / cold.wallMs).toFixed(1)}× | ${(rx.wallMs / warm.wallMs).toFixed(1)}× | ${cold.tokens.toLocaleString("en-US")} | ${rx.tokens.toLocaleString("en-US")} | ${(cold.tokens / rx.tokens).toFixed(3)} |`,
  ),
  "",
  "Targets (issue 18): tokens ≤ repomix's; cold ≥ 3×; warm ≥ 20×.",
  "",
  ...results.map(
    ({ name, cold, warm, rx }) =>
      `- ${name}: tokens ${cold.tokens <= rx.tokens ? "met" : "NOT met"}; cold ${rx.wallMs / cold.wallMs >= 3 ? "met" : "NOT met"}; warm ${rx.wallMs / warm.wallMs >= 20 ? "met" : "NOT met"}. Every run (ms): git spe cold ${cold.all.map((x) => x.toFixed(0)).join(", ")}; warm ${warm.all.map((x) => x.toFixed(0)).join(", ")}; repomix ${rx.all.map((x) => x.toFixed(0)).join(", ")}.`,
  ),
  "",
];
const results_ = path.join(root, "bench", "RESULTS-compress.md");
fs.writeFileSync(results_, lines.join("\n"));
execFileSync(process.execPath, [
  path.join(root, "node_modules", "prettier", "bin", "prettier.cjs"),
  "--write",
  results_,
]);
console.log(lines.join("\n"));
fs.rmSync(work, { recursive: true, force: true });
