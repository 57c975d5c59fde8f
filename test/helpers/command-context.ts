/** A CommandContext for calling command functions directly, with output captured in memory. */
import { PassThrough, Readable } from "node:stream";
import type { CommandContext } from "../../src/commands/command-context.ts";
import { createMemoryLogger } from "../../src/log.ts";

export interface TestCommandContext extends CommandContext {
  log: ReturnType<typeof createMemoryLogger>;
  /** Everything written to `stdout` so far. */
  stdoutText(): string;
}

export function testCommandContext(
  cwd: string,
  options: { stdin?: string; env?: NodeJS.ProcessEnv; json?: boolean; signal?: AbortSignal } = {},
): TestCommandContext {
  const stdout = new PassThrough();
  let written = "";
  stdout.on("data", (chunk: Buffer) => (written += chunk.toString()));
  return {
    cwd,
    env: { ...process.env, ...options.env },
    signal: options.signal ?? new AbortController().signal,
    log: createMemoryLogger({ json: options.json }),
    yes: true,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    stdout,
    stdoutText: () => written,
  };
}
