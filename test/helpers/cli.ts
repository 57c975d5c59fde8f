/** Runs the built CLI (`dist/cli.js`) as a subprocess, the way a user or a git hook would. */
import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import type { RunState } from "../../src/workflow/execute/run-state.ts";
import { projectRoot } from "./git-repo.ts";

export const cliPath = path.join(projectRoot, "dist", "cli.js");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

function assertBuilt(): void {
  if (!fs.existsSync(cliPath))
    throw new Error(`${cliPath} is missing: run npm run build (npm test does)`);
}

export async function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  assertBuilt();
  const result = await execa(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: { ...options.env },
    input: options.input ?? "",
    reject: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A directory holding a `git-spe` symlink to the built CLI, as `npm i -g` makes one, so that
 * `git spe …` resolves through git's own subcommand lookup. Prepend it to PATH.
 */
export function binDirWithGitSpe(dir: string): string {
  assertBuilt();
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const link = path.join(bin, "git-spe");
  if (!fs.existsSync(link)) fs.symlinkSync(cliPath, link);
  return bin;
}

export function pathWith(dir: string): string {
  return `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
}

/** `git spe show ID run`: the spec's latest run record, as the built CLI prints it. */
export async function showRun(cwd: string, id: string): Promise<RunState> {
  const shown = await runCli(["show", id, "run"], { cwd });
  if (shown.exitCode !== 0) throw new Error(`git spe show ${id} run: ${shown.stderr}`);
  return JSON.parse(shown.stdout) as RunState;
}
