/**
 * Fake `claude` and `gemini` executables (test/helpers/fake-cli/) for a test's PATH. They parse
 * the real CLIs' flags and print the real output formats; what they answer is scripted:
 *
 * ```ts
 * const cli = await setupFakeCli(dir, [
 *   { bin: "claude", result: "Implemented S1", files: { "src/a.ts": "export {};\n" } },
 *   { bin: "gemini", isError: true, result: "Quota exceeded", errorCode: 429 },
 * ]);
 * await createProvider("claude-code", config, cli.env, { cwd: worktree });
 * expect((await cli.log())[0].prompt).toContain("S1");
 * ```
 *
 * Invocations are consumed in order by whichever fake runs (a counter file beside the script
 * tracks them); running out is an error exit. Every run is appended to a JSONL log.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "./git-repo.ts";

export const fakeCliDir = path.join(projectRoot, "test", "helpers", "fake-cli");

export interface FakeCliUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  /** claude only. */
  cacheWrite?: number;
  /** gemini only. */
  thoughts?: number;
}

/** One scripted run of a fake CLI. */
export interface FakeCliInvocation {
  /** Fail (exit 2) when a different CLI takes this invocation. */
  bin?: "claude" | "gemini";
  /** The answer (claude `result`, gemini `response`), or the error message when `isError`. */
  result?: string;
  /** claude: `is_error: true`, exit 1; gemini: an `error` object on stderr, exit `errorCode`. */
  isError?: boolean;
  /** claude result subtype: `success` (default), `error_max_turns`, `error_during_execution`, … */
  subtype?: string;
  /** claude: `errors` of an error subtype. */
  errors?: string[];
  /** gemini: `error.type` (default `ApiError`) and `error.code` (default 1). */
  errorType?: string;
  errorCode?: number | string;
  /** Exit code, overriding the default (0, or 1 on error). */
  exitCode?: number;
  /** Written to stderr. */
  stderr?: string;
  /** Printed instead of the normal output (malformed-output tests). */
  stdout?: string;
  /** Sleep before answering (abort tests). */
  delayMs?: number;
  usage?: FakeCliUsage;
  /** claude `total_cost_usd` (default 0.0042). */
  costUsd?: number;
  /** claude `structured_output`, reported when `--json-schema` was given. */
  structuredOutput?: unknown;
  /** Files to write (string) or delete (null), relative to the CLI's cwd. */
  files?: Record<string, string | null>;
  /** Model reported (default: `--model`/`-m`, else the CLI's default). */
  model?: string;
  numTurns?: number;
  durationMs?: number;
  /** Start a long-lived child process in the CLI's process group (its pid is logged). */
  grandchild?: boolean;
  /** claude only: shell commands run in the CLI's cwd before it answers (its Bash tool). */
  commands?: string[];
}

/** One run as the fake logged it. */
export interface FakeCliLogEntry {
  bin: "claude" | "gemini";
  index: number;
  argv: string[];
  cwd: string;
  /** The prompt argument. */
  prompt: string;
  /** What was piped on stdin ("" when nothing). */
  stdin: string;
  model: string;
  /** Names (never values) of *_API_KEY / *_BASE_URL variables in the CLI's environment. */
  envKeys: string[];
  systemPrompt?: string;
  permissionMode?: string;
  allowedTools?: string[];
  maxTurns?: number;
  jsonSchema?: unknown;
  approvalMode?: string;
  /** The pid of the child started for `grandchild: true`. */
  grandchildPid?: number;
  /** What each scripted command did. */
  commands?: { command: string; exitCode: number | null; output: string }[];
}

export interface FakeCli {
  /** `baseEnv` with the fakes first on PATH and the script and log variables set. */
  env: NodeJS.ProcessEnv;
  scriptPath: string;
  logPath: string;
  /** Appends invocations to the script. */
  script(...invocations: FakeCliInvocation[]): Promise<void>;
  /** The runs so far, in order. */
  log(): Promise<FakeCliLogEntry[]>;
}

/** Writes the script into `dir` and returns the environment that puts the fakes on PATH. */
export async function setupFakeCli(
  dir: string,
  invocations: FakeCliInvocation[] = [],
  baseEnv: NodeJS.ProcessEnv = process.env,
): Promise<FakeCli> {
  const scriptPath = path.join(dir, "fake-cli-script.json");
  const logPath = path.join(dir, "fake-cli-log.jsonl");
  const scripted = [...invocations];
  await fs.writeFile(scriptPath, JSON.stringify(scripted));
  return {
    env: {
      ...baseEnv,
      PATH: `${fakeCliDir}${path.delimiter}${baseEnv.PATH ?? ""}`,
      SPE_FAKE_CLI_SCRIPT: scriptPath,
      SPE_FAKE_CLI_LOG: logPath,
    },
    scriptPath,
    logPath,
    async script(...more) {
      scripted.push(...more);
      await fs.writeFile(scriptPath, JSON.stringify(scripted));
    },
    async log() {
      const text = await fs.readFile(logPath, "utf8").catch(() => "");
      return text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as FakeCliLogEntry);
    },
  };
}

/** A PATH with node but neither fake, for "the CLI is not installed" tests. */
export function pathWithoutAgentClis(): string {
  return path.dirname(process.execPath);
}
