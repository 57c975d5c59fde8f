// Build: bin/cli.ts → dist/cli.js (the git-spe binary), src/index.ts → dist/index.js (the API),
// src/testing.ts → dist/testing.js (the plugin test harness), src/demo/main.ts → dist/demo.js
// (npm run demo), plugins/<name>/index.ts → dist/plugins/<name>.js (first-party plugins), shared code in chunks; then declarations with
// tsc. Dependencies stay external so a global install resolves them from its own node_modules;
// "git-spe" itself (as the first-party plugins import it) is bundled from the source.
import fs from "node:fs/promises";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const selfEntries = {
  "git-spe": "src/index.ts",
  "git-spe/testing": "src/testing.ts",
};

/** Resolves `git-spe`, `git-spe/testing` and `git-spe/plugins/<name>` to this package's source. */
const selfReference = {
  name: "git-spe-self-reference",
  setup(b) {
    b.onResolve({ filter: /^git-spe(\/.*)?$/ }, (args) => {
      const plugin = /^git-spe\/plugins\/([\w-]+)$/.exec(args.path);
      const file = plugin ? `plugins/${plugin[1]}/index.ts` : selfEntries[args.path];
      if (!file) return { errors: [{ text: `no such git-spe entry: ${args.path}` }] };
      return { path: path.resolve(file) };
    });
  },
};

/**
 * Packages bundled into dist instead of loaded from node_modules: small pure-JS ones that every
 * command loads (execa with its dependencies, zod, ignore). As ~230 separate ESM files they cost
 * ~90 ms of every command's start, hooks included. Everything else stays external.
 */
const bundledPackages = new Set(["execa", "zod", "ignore"]);
const externalPackages = {
  name: "git-spe-external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith("@")
        ? args.path.split("/").slice(0, 2).join("/")
        : args.path.split("/")[0];
      // Bundled, or imported by a bundled package (an external one is never read).
      if (bundledPackages.has(name) || args.importer.includes(`${path.sep}node_modules${path.sep}`))
        return undefined;
      return { path: args.path, external: true };
    });
  },
};
// Bundled CommonJS (cross-spawn, under execa) requires Node's built-ins through `require`.
const requireBanner =
  'import { createRequire as __speCreateRequire } from "node:module"; const require = __speCreateRequire(import.meta.url);';

const pluginNames = (await fs.readdir("plugins", { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** A hash of what the bundle is built from (src/version.ts's buildId). */
async function sourceHash() {
  const hash = createHash("sha256");
  const files = ["package.json", "package-lock.json"];
  for (const dir of ["bin", "src", "plugins"]) {
    for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true }))
      if (entry.isFile()) files.push(path.join(entry.parentPath ?? entry.path, entry.name));
  }
  for (const file of files.sort()) hash.update(`${file}\0`).update(await fs.readFile(file));
  return hash.digest("hex").slice(0, 16);
}

const buildId = await sourceHash();
await fs.rm("dist", { recursive: true, force: true });
await build({
  entryPoints: {
    cli: "bin/cli.ts",
    index: "src/index.ts",
    testing: "src/testing.ts",
    "context-worker": "src/context/worker.ts",
    demo: "src/demo/main.ts",
    // The scripted model server, for bench/kill-trials.mjs (plain Node on dist/).
    "mock-model": "src/mock-model/server.ts",
    ...Object.fromEntries(
      pluginNames.map((name) => [`plugins/${name}`, `plugins/${name}/index.ts`]),
    ),
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  plugins: [selfReference, externalPackages],
  banner: { js: requireBanner },
  sourcemap: true,
  chunkNames: "chunks/[name]-[hash]",
  define: { __SPE_BUILD_ID__: JSON.stringify(buildId) },
  logLevel: "warning",
});
await fs.chmod("dist/cli.js", 0o755);

/** Bundles `contents` (TypeScript importing from the source tree), imports it, deletes it. */
async function runScratchModule(name, contents) {
  const file = path.resolve("dist", `.${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: path.resolve("."), loader: "ts" },
    outfile: file,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    plugins: [selfReference],
    logLevel: "warning",
  });
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    await fs.rm(file);
  }
}

// The man page (git help spe), rendered from the command table the CLI itself uses.
const man = await runScratchModule(
  "man",
  'import { commands } from "./src/cli/commands.ts";\n' +
    'import { renderManPage } from "./src/cli/man.ts";\n' +
    "export const render = (version) => renderManPage(commands, version);\n",
);
const { version } = JSON.parse(await fs.readFile("package.json", "utf8"));
await fs.mkdir("dist/man", { recursive: true });
await fs.writeFile("dist/man/git-spe.1", man.render(version));

// The o200k table (src/context/o200k-vocabulary.ts) as a file: each thread of a pack loads it
// in a few ms instead of building it from gpt-tokenizer's rank list (~150 ms, ~90 MB transient).
const vocab = await runScratchModule(
  "vocab",
  'import ranks from "gpt-tokenizer/bpeRanks/o200k_base";\n' +
    'import { buildVocabulary, serializeVocabulary, vocabularySource } from "./src/context/o200k-vocabulary.ts";\n' +
    "export const render = () => serializeVocabulary(buildVocabulary(ranks), vocabularySource());\n",
);
await fs.writeFile("dist/o200k.bin", vocab.render());

execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
console.log(
  `built dist/cli.js, dist/index.js, dist/o200k.bin, dist/testing.js, dist/demo.js, dist/man/git-spe.1, ${pluginNames.map((n) => `dist/plugins/${n}.js`).join(", ")}, dist/types/`,
);
