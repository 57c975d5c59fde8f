#!/usr/bin/env node
// Benchmark: a step's related outlines (exec's step context, issue 18) on the large corpus of
// bench/context.mjs (15,782 source files; 27,598 in all) and the mid one: the first step, with
// no outline cache (every source file read and parsed, on the analysis pool's threads), and the
// next step (the cache kept: every file read, nothing parsed).
//
//   npm run build && node bench/related.mjs [--repeats 3]
//
// relatedOutlines is not part of the CLI's surface, so it is bundled from src with esbuild into
// a scratch file inside the package (where the pool finds dist/context-worker.js). Writes
// bench/RESULTS-related.md.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildCorpora, builtCli, log, root, writeResults } from "./common.mjs";

const args = process.argv.slice(2);
const repeatsAt = args.indexOf("--repeats");
const repeats = repeatsAt === -1 ? 3 : Number(args[repeatsAt + 1]);
builtCli();
const corpora = buildCorpora();

const scratch = fs.mkdtempSync(path.join(root, ".bench-related-"));
try {
  const entry = path.join(scratch, "entry.ts");
  fs.writeFileSync(
    entry,
    `import path from "node:path";
import { createGit } from "../src/git/exec.ts";
import { relatedOutlines } from "../src/workflow/execute/related-outlines.ts";
const [dir, file] = process.argv.slice(2);
const started = performance.now();
const out = await relatedOutlines({
  worktree: dir,
  commonDir: path.join(dir, ".git"),
  git: createGit({ cwd: dir }),
  step: { id: "S1", title: "t", description: "d", files: [{ path: file, action: "modify" }] },
  filter: { isIgnored: () => false, maxFileBytes: 1_000_000 },
});
console.log(JSON.stringify({ ms: performance.now() - started, chars: out.length }));
`,
  );
  const bundle = path.join(scratch, "related.mjs");
  execFileSync(path.join(root, "node_modules", ".bin", "esbuild"), [
    entry,
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--packages=external",
    `--outfile=${bundle}`,
    "--log-level=warning",
  ]);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [];
  for (const [name, dir] of [
    ["mid", corpora.mid],
    ["large", corpora.large],
  ]) {
    const files = execFileSync("git", ["ls-files"], { cwd: dir, encoding: "utf8" })
      .split("\n")
      .filter((f) => /\.(ts|js|py)$/.test(f) && !f.endsWith(".d.ts"));
    const step = files[0];
    const cache = path.join(dir, ".git", "spe", "cache", "outlines.json");
    const run = () =>
      JSON.parse(
        execFileSync(process.execPath, [bundle, dir, step], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "inherit"],
        }),
      );
    const first = [];
    const next = [];
    for (let i = 0; i < repeats; i++) {
      fs.rmSync(cache, { force: true });
      log(`${name}: first step (no outline cache) ${i + 1}/${repeats}`);
      first.push(run());
      log(`${name}: next step (cache kept) ${i + 1}/${repeats}`);
      next.push(run());
    }
    if (first.some((r) => r.chars === 0))
      throw new Error(`${name}: no related outlines for ${step}`);
    rows.push({
      name,
      step,
      first: first.map((r) => r.ms),
      next: next.map((r) => r.ms),
      chars: first[0].chars,
    });
  }
  const cpus = os.cpus();
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const previous = path.join(root, "bench", "RESULTS-related.md");
  const old = fs.existsSync(previous) ? fs.readFileSync(previous, "utf8") : "";
  const notesAt = old.indexOf("\n## Reading the numbers");
  writeResults(
    previous,
    [
      "# A step's related outlines: first step and next step",
      "",
      `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type().toLowerCase()} ${os.release()}; Node ${process.version}.`,
      "",
      `Command: \`node bench/related.mjs ${args.join(" ")}\` (after \`npm run build\`), ${new Date().toISOString().slice(0, 10)}. Each run is its own process; times are medians of ${repeats}. First step: no outline cache. Next step: the cache the first one wrote.`,
      "",
      "| corpus | step file | first step | next step | related outlines (characters) |",
      "| --- | --- | --- | --- | --- |",
      ...rows.map(
        (r) =>
          `| ${r.name} | \`${r.step}\` | ${s(median(r.first))} | ${s(median(r.next))} | ${r.chars} |`,
      ),
      "",
      ...rows.map(
        (r) =>
          `- ${r.name}: every run (ms): first ${r.first.map((t) => t.toFixed(0)).join(", ")}; next ${r.next.map((t) => t.toFixed(0)).join(", ")}.`,
      ),
      notesAt === -1 ? "" : old.slice(notesAt),
    ].join("\n"),
  );
  log(`wrote ${previous}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
