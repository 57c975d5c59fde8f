/**
 * The CLI as a function of its inputs: argv, environment, streams and an AbortSignal in, an
 * exit code out. `bin/cli.ts` wires it to the process; tests can call it directly.
 */
import type { Readable, Writable } from "node:stream";
import type { CommandContext } from "../commands/command-context.ts";
import { createLogger, shouldUseColor } from "../log.ts";
import { version } from "../version.ts";
import { createTerminalAsk, createTerminalConfirm } from "./ask.ts";
import { commands } from "./commands.ts";
import { renderCommandHelp, renderMainHelp } from "./help.ts";
import { parseCommandLine } from "./parse.ts";
import { reportError } from "./report-error.ts";

export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  signal: AbortSignal;
}

export async function runCli(io: CliIo): Promise<number> {
  const color = shouldUseColor(io.env, io.stderr);
  let parsed;
  try {
    parsed = parseCommandLine(io.argv, commands);
  } catch (error) {
    const wantsJson = io.argv.includes("--json");
    return reportError(
      error,
      createLogger({ stdout: io.stdout, stderr: io.stderr, json: wantsJson, color }),
      {
        debug: false,
      },
    );
  }
  const { command, globals, args } = parsed;
  const log = createLogger({
    stdout: io.stdout,
    stderr: io.stderr,
    json: globals.json,
    quiet: globals.quiet,
    debug: globals.debug,
    color,
    stderrIsTTY: io.stderr.isTTY === true,
  });
  if (globals.version && !command) {
    io.stdout.write(`git-spe ${version}\n`);
    return 0;
  }
  if (!command) {
    const help = renderMainHelp(commands, version);
    if (globals.help) {
      io.stdout.write(help);
      return 0;
    }
    io.stderr.write(help);
    return 2;
  }
  if (globals.help) {
    io.stdout.write(renderCommandHelp(command));
    return 0;
  }
  const yes = globals.yes || io.stdin.isTTY !== true || (io.env.CI ?? "") !== "";
  const ctx: CommandContext = {
    cwd: io.cwd,
    env: io.env,
    signal: io.signal,
    log,
    yes,
    stdin: io.stdin,
    stdout: io.stdout,
    ...(yes || globals.json
      ? {}
      : {
          ask: createTerminalAsk(io.stdin, io.stderr, io.signal),
          confirm: createTerminalConfirm(io.stdin, io.stderr, io.signal),
        }),
  };
  try {
    const code = (await command.run(ctx, args)) ?? 0;
    return io.signal.aborted ? 130 : code;
  } catch (error) {
    return reportError(error, log, { debug: globals.debug, signal: io.signal });
  }
}
