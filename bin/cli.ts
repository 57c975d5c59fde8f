#!/usr/bin/env node
/**
 * The `git-spe` binary (`git spe …` once it is on PATH). Thin: wires the process to `runCli`,
 * turns SIGINT/SIGTERM into an AbortSignal, and sets the exit code.
 */
import { runCli } from "../src/cli/main.ts";

const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals) => {
  interrupts += 1;
  // A second interrupt means "now": cleanup already had its chance.
  if (interrupts > 1) process.exit(130);
  process.stderr.write(`\ngit spe: ${signal} received, stopping cleanly (again to force)\n`);
  controller.abort(Object.assign(new Error(`interrupted by ${signal}`), { name: "AbortError" }));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const code = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
