/**
 * Anthropic's bash client tool, `bash_20250124` (tool name `bash`): input `command`, or
 * `restart: true`. The docs describe a persistent shell session; here every command gets a
 * fresh shell in the worktree root (nothing carries over: cd, variables, background jobs), so a
 * restart has nothing to reset and is simply acknowledged. The result is the interleaved
 * output and the exit status; a non-zero exit, a timeout or a signal is an error result
 * (`is_error: true`), as in the docs' examples ("bash: …: command not found", "Error: command
 * did not finish within 30 seconds").
 * Docs: https://platform.claude.com/docs/en/agents-and-tools/tool-use/bash-tool
 */
import { z } from "zod";
import { type CommandRequest, type CommandResult, runCommand } from "./run-command.ts";
import { parseToolInput } from "./tool-input.ts";
import { ToolError, preview } from "./tool-result.ts";

export const bashToolName = "bash";

const inputSchema = z.object({
  command: z.string().nullish(),
  restart: z.boolean().nullish(),
});

/** Everything a command runs with except the command itself. */
export type BashContext = Omit<CommandRequest, "command">;

export interface BashResult {
  text: string;
  isError: boolean;
  summary: string;
}

const restartText =
  "Bash session restarted. (Every command runs in a fresh shell in the worktree root, so no " +
  "state carries over between commands anyway: chain dependent steps with && in one command.)";

function seconds(ms: number): string {
  const value = ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
  return value === "1" ? "1 second" : `${value} seconds`;
}

/** What the tool result says when a confined command ran into the sandbox's walls. */
const deniedPattern =
  /Read-only file system|Permission denied|Operation not permitted|Network is unreachable|Could not resolve host|Failed to connect|getaddrinfo|EAI_AGAIN|ENOTFOUND|ENETUNREACH|ECONNREFUSED|Connection refused|EROFS|EACCES|EPERM/;

function sandboxNote(result: CommandResult, context: BashContext): string {
  if (!context.sandbox.confined) return "";
  const notes: string[] = [];
  if (result.deniedHosts.length > 0)
    notes.push(
      `[sandbox: network access denied to ${[...new Set(result.deniedHosts)].join(", ")}: hosts must be allowed in exec.sandbox.network]`,
    );
  const failed = result.exitCode !== 0 || result.exitSignal !== null;
  const hiddenPath =
    /No such file or directory/.test(result.output) &&
    (/\/proc\/\d+/.test(result.output) || result.output.includes(`${context.sandbox.home}/`));
  if (failed && notes.length === 0 && (deniedPattern.test(result.output) || hiddenPath))
    notes.push(
      "[sandbox: denied. Commands run confined to the worktree: only the worktree and /tmp are writable, the repository's git directory is read-only (git spe commits your changes after validation; do not run git add/commit/reset/checkout), $HOME is a scratch directory, other processes are not visible, and there is no network]",
    );
  return notes.map((n) => `\n${n}`).join("");
}

function describe(result: CommandResult, timeoutMs: number): { status: string; isError: boolean } {
  if (result.timedOut)
    return {
      status: `Error: command did not finish within ${seconds(timeoutMs)}; it was stopped (its whole process group was killed)`,
      isError: true,
    };
  const leftovers = result.leftovers
    ? "\n[background processes it left running were stopped when it exited]"
    : "";
  if (result.exitSignal)
    return { status: `[killed by ${result.exitSignal}]${leftovers}`, isError: true };
  const code = result.exitCode ?? -1;
  return { status: `[exit code ${code}]${leftovers}`, isError: code !== 0 };
}

export async function runBashTool(input: unknown, context: BashContext): Promise<BashResult> {
  const call = parseToolInput(inputSchema, input, bashToolName);
  if (call.restart === true && !call.command)
    return { text: restartText, isError: false, summary: "restart" };
  if (!call.command || call.command.trim() === "")
    throw new ToolError("command is required (or restart: true)");
  const command = call.command;
  let result: CommandResult;
  try {
    result = await runCommand({ ...context, command });
  } catch (error) {
    if (context.signal.aborted) throw error;
    throw new ToolError(`could not start the command: ${(error as Error).message}`);
  }
  const described = describe(result, context.timeoutMs);
  const { isError } = described;
  const status = `${described.status}${sandboxNote(result, context)}`;
  const output = result.output === "" ? "(no output)\n" : result.output.replace(/\n?$/, "\n");
  const text = result.timedOut
    ? `${status}\nOutput before it was stopped:\n${output}`
    : `${output}${status}`;
  const outcome = result.timedOut
    ? "timed out"
    : result.exitSignal
      ? result.exitSignal
      : `exit ${result.exitCode}`;
  return { text, isError, summary: `${preview(command)} (${outcome})` };
}
