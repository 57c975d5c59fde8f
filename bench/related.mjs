#!/usr/bin/env node
// Benchmark: a step's related outlines (exec's step context, issue 18) on the large corpus of
// bench/context.mjs (15,782 source files; 27,598 in all) and the mid one: the first step, with
// no outline cache (every source file read and parsed, on the analysis pool's threads), and the
// next step (the cache kept: every file read, nothing parsed).
//
//   npm run build && node bench/related.mjs [--repeats 3] [--before REF]
//
// relatedOutlines is not part of the CLI's surface, so it is bundled from src with esbuild into
// a scratch file inside the package (where the pool finds dist/context-worker.js). `--before
// REF` also bundles it from that commit's sources and runs both, interleaved, in the same run.
// Writes bench/RESULTS-related.md.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildCorpora, builtCli, log, machine, median, root, writeResults } from "./common.mjs";

const args = process.argv.slice(2);
const repeatsAt = args.indexOf("--repeats");
const repeats = repeatsAt === -1 ? 3 : Number(args[repeatsAt + 1]);
builtCli();
const corpora = buildCorpora();

const beforeAt = args.indexOf("--before");
const before = beforeAt === -1 ? undefined : args[beforeAt + 1];

const scratch = fs.mkdtempSync(path.join(root, ".bench-related-"));
try {
  /** relatedOutlines from `srcDir` bundled into one script that prints its time and length. */
  const bundleFrom = (srcDir, name) => {
    const entry = path.join(scratch, `${name}.ts`);
    fs.writeFileSync(
      entry,
      `import path from "node:path";
import { createGit } from "${srcDir}/git/exec.ts";
import { relatedOutlines } from "${srcDir}/workflow/execute/related-outlines.ts";
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
    const bundle = path.join(scratch, `${name}.mjs`);
    execFileSync(path.join(root, "node_modules", ".bin", "esbuild"), [
      entry,
      "--bundle",
      "--platform=node",
      "--format=esm",
      "--packages=external",
      `--outfile=${bundle}`,
      "--log-level=warning",
    ]);
    return bundle;
  };
  const versions = [["now", bundleFrom(path.join(root, "src"), "now")]];
  if (before) {
    // The sources at REF (src and plugins), beside this checkout's node_modules and dist.
    const old = path.join(scratch, "before");
    fs.mkdirSync(old);
    const tar = execFileSync("git", ["archive", before, "src", "plugins"], {
      cwd: root,
      maxBuffer: 1 << 28,
    });
    execFileSync("tar", ["-x", "-C", old], { input: tar });
    versions.push([`before (${before})`, bundleFrom(path.join(old, "src"), "before")]);
  }
  const rows = [];
  // The step's file: a TypeScript source of the Anthropic SDK in large (imported and importing),
  // the first source file in mid.
  for (const [name, dir, pattern] of [
    ["mid", corpora.mid, /\.(ts|js|py)$/],
    ["large", corpora.large, /^project\/@anthropic-ai\/sdk\/src\/.*\.ts$/],
  ]) {
    const files = execFileSync("git", ["ls-files"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    })
      .split("\n")
      .filter((f) => pattern.test(f) && !f.endsWith(".d.ts"));
    const step = files[0];
    const cache = path.join(dir, ".git", "spe", "cache", "outlines.json");
    const run = (bundle) =>
      JSON.parse(
        execFileSync(process.execPath, [bundle, dir, step], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "inherit"],
        }),
      );
    // Interleaved: each repeat runs every version, first step then next step.
    const times = new Map(versions.map(([v]) => [v, { first: [], next: [], chars: 0 }]));
    for (let i = 0; i < repeats; i++) {
      for (const [version, bundle] of versions) {
        const t = times.get(version);
        fs.rmSync(cache, { force: true });
        log(`${name}, ${version}: first step (no outline cache) ${i + 1}/${repeats}`);
        const first = run(bundle);
        log(`${name}, ${version}: next step (cache kept) ${i + 1}/${repeats}`);
        const next = run(bundle);
        if (first.chars === 0 || next.chars !== first.chars)
          throw new Error(
            `${name}, ${version}: related outlines for ${step}: ${first.chars} / ${next.chars} characters`,
          );
        t.first.push(first.ms);
        t.next.push(next.ms);
        t.chars = first.chars;
      }
    }
    for (const [version, t] of times) rows.push({ name, step, version, ...t });
  }
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const previous = path.join(root, "bench", "RESULTS-related.md");
  const old = fs.existsSync(previous) ? fs.readFileSync(previous, "utf8") : "";
  const notesAt = old.indexOf("\n## Reading the numbers");
  writeResults(
    previous,
    [
      "# A step's related outlines: first step and next step",
      "",
      `Machine: ${machine()}.`,
      "",
      `Command: \`node bench/related.mjs ${args.join(" ")}\` (after \`npm run build\`), ${new Date().toISOString().slice(0, 10)}. Each run is its own process; times are medians of ${repeats}. First step: no outline cache. Next step: the cache the first one wrote.`,
      "",
      "| corpus | step file | code | first step | next step | related outlines (characters) |",
      "| --- | --- | --- | --- | --- | --- |",
      ...rows.map(
        (r) =>
          `| ${r.name} | \`${r.step}\` | ${r.version} | ${s(median(r.first))} | ${s(median(r.next))} | ${r.chars} |`,
      ),
      "",
      ...rows.map(
        (r) =>
          `- ${r.name}, ${r.version}: every run (ms): first ${r.first.map((t) => t.toFixed(0)).join(", ")}; next ${r.next.map((t) => t.toFixed(0)).join(", ")}.`,
      ),
      notesAt === -1 ? "" : old.slice(notesAt),
    ].join("\n"),
  );
  log(`wrote ${previous}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
