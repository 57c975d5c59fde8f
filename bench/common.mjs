// What the benchmark scripts share: the project's root, the built CLI, the corpora of
// bench/context.mjs, and writing a results file in the project's style.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const log = (...parts) => console.error(`[bench] ${parts.join(" ")}`);

/** dist/cli.js, or exit 2 with what to do when it is not built. */
export function builtCli() {
  const cli = path.join(root, "dist", "cli.js");
  if (!fs.existsSync(cli)) {
    console.error("dist/cli.js is missing: run npm run build first");
    process.exit(2);
  }
  return cli;
}

/** The corpora of bench/context.mjs (`--corpus-only`): `{ mid, large }`, git repositories. */
export function buildCorpora() {
  log("building the corpora (bench/context.mjs --corpus-only)");
  return JSON.parse(
    execFileSync(process.execPath, [path.join(root, "bench", "context.mjs"), "--corpus-only"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 26,
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
}

/** gpt-tokenizer's options that count a file's `<|endoftext|>` as plain text, as git spe does. */
export const plainText = { disallowedSpecial: new Set() };

/** Writes a results file, formatted as the lint step wants it (prettier pads the tables). */
export function writeResults(file, text) {
  fs.writeFileSync(file, text);
  execFileSync(process.execPath, [
    path.join(root, "node_modules", "prettier", "bin", "prettier.cjs"),
    "--write",
    file,
  ]);
}

/** The middle value (the upper one of an even count), as the results files report times. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "2 × <cpu>, 24 GiB RAM, linux <release>; Node <version>": a results file's machine line. */
export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type().toLowerCase()} ${os.release()}; Node ${process.version}`;
}
