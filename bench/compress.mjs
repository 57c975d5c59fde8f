#!/usr/bin/env node
// Benchmark: `git spe context --all --compress` against `repomix --compress` (issue 18).
//
//   npm run build && node bench/compress.mjs [--repeats 3] [--no-large]
//
// Corpora: the mid (~3,000 files) and large (~27,600) git repositories of bench/context.mjs
// (`--corpus-only`: real third-party source, mostly JavaScript, TypeScript and Python, and a
// repomix 1.14 install beside them), and "multi": one real multi-language tree, protobuf 3.21.12
// as Debian ships it (the orig tarball from deb.debian.org, checked by its sha256): C++, Java,
// C#, PHP, Python, Ruby, C and Objective-C side by side; files repomix ignores by default and
// files over 1 MB (git spe's default limit) are left out so both tools see one list.
//
// On each: git spe cold (no .git/spe: every file parsed, counted and scanned), git spe second
// pack (the caches kept, no stored pack: every file read, every outline from the outline
// cache), git spe warm (the stored pack reused, as `git spe context` does for a pack asked for
// again), and repomix --compress (no cache). Each run is its own process; wall times are
// medians, CPU time (user + system, the whole process tree) is the last run's. Tokens: each
// tool's XML document as it counts it, and each file's content counted by one tokenizer
// (o200k, gpt-tokenizer) over the files both packed (their JSON documents). Writes
// bench/RESULTS-compress.md: the machine, the commands, the numbers and issue 18's targets
// (outline tokens ≤ repomix's; cold ≥ 3× and warm ≥ 20× faster).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import {
  buildCorpora,
  builtCli,
  log,
  machine,
  median,
  plainText,
  root,
  writeResults,
} from "./common.mjs";

const args = process.argv.slice(2);
const repeatsAt = args.indexOf("--repeats");
const repeats = repeatsAt === -1 ? 3 : Number(args[repeatsAt + 1]);
const withLarge = !args.includes("--no-large");
const cli = builtCli();

const corpora = buildCorpora();
const work = path.dirname(corpora.mid);
const repomix = path.join(work, "repomix", "node_modules", ".bin", "repomix");
const repomixVersion = execFileSync(repomix, ["--version"], { encoding: "utf8" }).trim();

// The multi-language tree.
const protobuf = {
  url: "http://deb.debian.org/debian/pool/main/p/protobuf/protobuf_3.21.12.orig.tar.gz",
  sha256: "930c2c3b5ecc6c9c12615cf5ad93f1cd6e12d0aba862b572e076259970ac3a53",
};
log(`downloading ${protobuf.url}`);
const tarball = Buffer.from(await (await globalThis.fetch(protobuf.url)).arrayBuffer());
const digest = createHash("sha256").update(tarball).digest("hex");
if (digest !== protobuf.sha256) throw new Error(`protobuf tarball: sha256 ${digest}`);
const multi = path.join(work, "multi");
fs.mkdirSync(multi);
fs.writeFileSync(path.join(work, "protobuf.tar.gz"), tarball);
execFileSync("tar", [
  "xzf",
  path.join(work, "protobuf.tar.gz"),
  "-C",
  multi,
  "--strip-components=1",
]);
const ignoredName =
  /^(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|composer\.lock|Gemfile\.lock|go\.sum|.*\.log|.*\.map)$/;
const ignoredDir = new Set(["node_modules", "vendor", "target", "__pycache__", ".git"]);
(function prune(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (ignoredDir.has(entry.name)) fs.rmSync(full, { recursive: true, force: true });
      else prune(full);
    } else if (
      !entry.isFile() ||
      ignoredName.test(entry.name) ||
      entry.name === ".gitignore" ||
      fs.statSync(full).size > 1_000_000
    )
      fs.rmSync(full, { force: true });
  }
})(multi);
const gitIn = (dir, ...argv) =>
  execFileSync("git", argv, { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
gitIn(multi, "init", "-q");
gitIn(multi, "add", "-A");
gitIn(
  multi,
  "-c",
  "user.name=bench",
  "-c",
  "user.email=bench@example.invalid",
  "commit",
  "-qm",
  "protobuf 3.21.12",
);
const multiFiles = execFileSync("git", ["ls-files"], { cwd: multi, encoding: "utf8" })
  .split("\n")
  .filter(Boolean);
const byExtension = new Map();
for (const file of multiFiles) {
  const ext = path.extname(file) || path.basename(file);
  byExtension.set(ext, (byExtension.get(ext) ?? 0) + 1);
}
const multiMix = [...byExtension]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 12)
  .map(([ext, n]) => `${n} ${ext}`)
  .join(", ");
log(`multi: ${multiFiles.length} files (${multiMix})`);

/** Runs a command; wall time, and CPU time of it and its children (from /usr/bin/time). */
function run(cmd, argv, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const times = path.join(work, "time.txt");
    const child = spawn("/usr/bin/time", ["-f", "%U %S", "-o", times, cmd, ...argv], {
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
      const [user, system] = fs.readFileSync(times, "utf8").trim().split(/\s+/).map(Number);
      if (code !== 0)
        reject(new Error(`${cmd} ${argv.join(" ")}: exit ${code}: ${stderr.slice(-1500)}`));
      else resolve({ wallMs, cpuMs: (user + system) * 1000, stdout, stderr });
    });
  });
}

async function spe(dir, mode, format = "xml") {
  if (mode === "cold") fs.rmSync(path.join(dir, ".git", "spe"), { recursive: true, force: true });
  if (mode === "second")
    fs.rmSync(path.join(dir, ".git", "spe", "cache", "packs"), { recursive: true, force: true });
  const out = path.join(work, `${path.basename(dir)}-spe-compress.${format}`);
  const r = await run(
    process.execPath,
    [cli, "context", "--all", "--compress", "--format", format, "--json", "-o", out],
    dir,
  );
  const summary = JSON.parse(r.stdout);
  if (mode === "warm" && !summary.reused) throw new Error(`${dir}: the stored pack was not reused`);
  return { ...r, tokens: summary.totalTokens, files: summary.files, out };
}

async function repomixCompress(dir, style = "xml") {
  const out = path.join(work, `${path.basename(dir)}-repomix-compress.${style}`);
  const r = await run(repomix, [".", "--compress", "--style", style, "-o", out], dir);
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const text = r.stdout.replace(/\u001b\[[0-9;]*m/g, "");
  const num = (label) =>
    Number((new RegExp(`${label}:\\s*([\\d,]+)`).exec(text)?.[1] ?? "NaN").replace(/,/g, ""));
  return { ...r, tokens: num("Total Tokens"), files: num("Total Files"), out };
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

/** Each file's content in both JSON documents, counted by one tokenizer, over the common files. */
function contentTokens(speJson, repomixJson) {
  const ours = new Map(
    JSON.parse(fs.readFileSync(speJson, "utf8")).files.map((f) => [f.path, f.content]),
  );
  const theirs = JSON.parse(fs.readFileSync(repomixJson, "utf8")).files;
  let spe = 0;
  let rx = 0;
  let common = 0;
  for (const [file, content] of Object.entries(theirs)) {
    if (!ours.has(file)) continue;
    common++;
    spe += countTokens(ours.get(file), plainText);
    rx += countTokens(content, plainText);
  }
  return { spe, rx, common };
}

const results = [];
for (const [name, dir] of [...Object.entries(corpora), ["multi", multi]]) {
  if (name === "large" && !withLarge) continue;
  const n = repeats;
  log(`${name}: git spe --compress cold ×${n}`);
  const cold = await times(n, () => spe(dir, "cold"));
  log(`${name}: git spe --compress second pack ×${n}`);
  const second = await times(n, () => spe(dir, "second"));
  // That left a first-request mark: the next pack stores its document, the ones after reuse it.
  await spe(dir, "store");
  log(`${name}: git spe --compress warm ×${n}`);
  const warm = await times(n, () => spe(dir, "warm"));
  log(`${name}: repomix --compress ×${n}`);
  const rx = await times(n, () => repomixCompress(dir));
  log(`${name}: the files' contents, one tokenizer`);
  const speJson = await spe(dir, "second", "json");
  const rxJson = await repomixCompress(dir, "json");
  const content = contentTokens(speJson.out, rxJson.out);
  results.push({ name, cold, second, warm, rx, content });
  log(
    `${name}: spe cold ${cold.wallMs.toFixed(0)} ms, second ${second.wallMs.toFixed(0)} ms, warm ${warm.wallMs.toFixed(0)} ms, repomix ${rx.wallMs.toFixed(0)} ms; tokens ${cold.tokens} vs ${rx.tokens}; contents ${content.spe} vs ${content.rx}`,
  );
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const x = (a, b) => `${(a / b).toFixed(1)}×`;
const num = (n) => n.toLocaleString("en-US");
const met = (ok) => (ok ? "met" : "NOT met");
const lines = [
  "# Outlines: `git spe context --compress` against `repomix --compress`",
  "",
  `Machine: ${machine()}; repomix ${repomixVersion}.`,
  "",
  `Command: \`node bench/compress.mjs ${args.join(" ")}\` (after \`npm run build\`), ${new Date().toISOString().slice(0, 10)}. Corpora: mid and large from \`bench/context.mjs --corpus-only\`; multi: protobuf 3.21.12's Debian orig tarball (${multiFiles.length} files: ${multiMix}, …). Cold: no \`.git/spe\`. Second pack: the caches kept (token counts, secret verdicts, outlines) but no stored pack, so every file is read and every outline comes from the outline cache. Warm: the stored pack reused (what \`git spe context --compress\` does when asked for the same pack again). repomix has no cache. Wall times are medians of the runs shown; CPU is user + system of the process tree, last run.`,
  "",
  "| corpus | files (spe / repomix) | git spe cold | second pack | warm | repomix --compress | cold speed-up | second-pack speed-up | warm speed-up | CPU: spe cold / repomix |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...results.map(
    ({ name, cold, second, warm, rx }) =>
      `| ${name} | ${cold.files} / ${rx.files} | ${s(cold.wallMs)} | ${s(second.wallMs)} | ${s(warm.wallMs)} | ${s(rx.wallMs)} | ${x(rx.wallMs, cold.wallMs)} | ${x(rx.wallMs, second.wallMs)} | ${x(rx.wallMs, warm.wallMs)} | ${s(cold.cpuMs)} / ${s(rx.cpuMs)} (${x(rx.cpuMs, cold.cpuMs)}) |`,
  ),
  "",
  "| corpus | document tokens: git spe | repomix | ratio | file contents (common files, o200k): git spe | repomix | ratio |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...results.map(
    ({ name, cold, rx, content }) =>
      `| ${name} | ${num(cold.tokens)} | ${num(rx.tokens)} | ${(cold.tokens / rx.tokens).toFixed(3)} | ${num(content.spe)} | ${num(content.rx)} (${content.common} files) | ${(content.spe / content.rx).toFixed(3)} |`,
  ),
  "",
  "Targets (issue 18): tokens ≤ repomix's; cold ≥ 3×; warm ≥ 20×.",
  "",
  ...results.map(
    ({ name, cold, second, warm, rx, content }) =>
      `- ${name}: tokens ${met(cold.tokens <= rx.tokens && content.spe <= content.rx)}; cold ${met(rx.wallMs / cold.wallMs >= 3)}; warm ${met(rx.wallMs / warm.wallMs >= 20)} (second pack ${x(rx.wallMs, second.wallMs)}). Every run (ms): git spe cold ${cold.all.map((t) => t.toFixed(0)).join(", ")}; second ${second.all.map((t) => t.toFixed(0)).join(", ")}; warm ${warm.all.map((t) => t.toFixed(0)).join(", ")}; repomix ${rx.all.map((t) => t.toFixed(0)).join(", ")}.`,
  ),
  "",
];
const resultsFile = path.join(root, "bench", "RESULTS-compress.md");
const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, "utf8") : "";
// Notes written by hand below the generated part are kept.
const notesAt = previous.indexOf("\n## Reading the numbers");
writeResults(resultsFile, lines.join("\n") + (notesAt === -1 ? "" : previous.slice(notesAt)));
console.log(fs.readFileSync(resultsFile, "utf8"));
fs.rmSync(work, { recursive: true, force: true });
