/**
 * Fake `gemini` (Gemini CLI headless). `-p/--prompt`, `-o/--output-format`, `-m/--model` and
 * friends as the real CLI parses them; stdin, when piped, is prepended to the prompt. With
 * `-o json` success prints `{session_id, response, stats}` (stats.models.<model>.tokens with
 * prompt, candidates, cached, thoughts …) to stdout; failure prints `{session_id, error: {type,
 * message, code}}` to stdout and exits non-zero, as 0.61 does (checked against the real CLI); an
 * untrusted folder without `--skip-trust` is refused with exit 55.
 */
import { randomUUID } from "node:crypto";
import {
  applyFiles,
  delay,
  fail,
  logInvocation,
  nextInvocation,
  parseArgs,
  readStdin,
  spawnGrandchild,
} from "./script.mjs";

const booleans = ["--yolo", "--debug", "--sandbox", "--skip-trust", "--screen-reader"];
const values = [
  "--prompt",
  "--output-format",
  "--model",
  "--approval-mode",
  "--prompt-interactive",
  "--resume",
];
const arrays = [
  "--allowed-tools",
  "--include-directories",
  "--extensions",
  "--policy",
  "--admin-policy",
];
const aliases = {
  "-p": "--prompt",
  "-o": "--output-format",
  "-m": "--model",
  "-y": "--yolo",
  "-d": "--debug",
  "-s": "--sandbox",
  "-i": "--prompt-interactive",
  "-r": "--resume",
  "-e": "--extensions",
};

export async function main(argv) {
  const { options, positionals } = parseArgs(argv, {
    booleans,
    values,
    arrays,
    aliases,
    unknown: (arg) => fail(`Unknown argument: ${arg.replace(/^-+/, "")}`),
  });
  const format = options["--output-format"] ?? "text";
  if (!["text", "json", "stream-json"].includes(format))
    fail(
      `Invalid values:\n  Argument: output-format, Given: "${format}", Choices: "text", "json", "stream-json"`,
    );
  const prompt = options["--prompt"] ?? positionals.join(" ");
  const stdin = await readStdin();
  if (!prompt && !stdin)
    fail(
      "No input provided via stdin. Input can be provided by piping data into gemini or using the --prompt option.",
      42,
    );

  // 0.61 headless: an untrusted folder is refused before anything else (exit 55).
  if (!options["--skip-trust"] && process.env.GEMINI_CLI_TRUST_WORKSPACE !== "true") {
    process.stderr.write(
      "Gemini CLI is not running in a trusted directory. To proceed, either use `--skip-trust`, set the `GEMINI_CLI_TRUST_WORKSPACE=true` environment variable, or trust this directory in interactive mode.\n",
    );
    return 55;
  }

  const { invocation: run, index } = nextInvocation("gemini");
  const model = run.model ?? options["--model"] ?? "gemini-2.5-pro";
  const grandchildPid = run.grandchild ? spawnGrandchild() : undefined;
  logInvocation({
    bin: "gemini",
    index,
    argv,
    prompt,
    stdin,
    model,
    grandchildPid,
    approvalMode: options["--approval-mode"] ?? (options["--yolo"] ? "yolo" : undefined),
    allowedTools: options["--allowed-tools"],
  });
  const sessionId = randomUUID();
  await delay(run.delayMs);
  if (run.stderr) process.stderr.write(run.stderr.endsWith("\n") ? run.stderr : `${run.stderr}\n`);
  if (run.stdout !== undefined) {
    process.stdout.write(run.stdout);
    return run.exitCode ?? 0;
  }
  applyFiles(run.files);

  if (run.isError) {
    const error = {
      type: run.errorType ?? "ApiError",
      message: run.result ?? "scripted failure",
      code: run.errorCode ?? 1,
    };
    // The real CLI prints the JSON error object on stdout.
    if (format === "json")
      process.stdout.write(`${JSON.stringify({ session_id: sessionId, error }, null, 2)}\n`);
    else process.stderr.write(`${error.message}\n`);
    return run.exitCode ?? (typeof error.code === "number" ? error.code : 1);
  }
  const cached = run.usage?.cacheRead ?? 0;
  const promptTokens = (run.usage?.input ?? 20) + cached;
  const candidates = run.usage?.output ?? 8;
  const thoughts = run.usage?.thoughts ?? 0;
  const tokens = {
    input: promptTokens - cached,
    prompt: promptTokens,
    candidates,
    total: promptTokens + candidates + thoughts,
    cached,
    thoughts,
    tool: 0,
  };
  const decisions = { accept: 0, reject: 0, modify: 0, auto_accept: 0 };
  const stats = {
    models: {
      [model]: {
        api: { totalRequests: 1, totalErrors: 0, totalLatencyMs: run.durationMs ?? 812 },
        tokens,
        roles: {},
      },
    },
    tools: {
      totalCalls: 0,
      totalSuccess: 0,
      totalFail: 0,
      totalDurationMs: 0,
      totalDecisions: decisions,
      byName: {},
    },
    files: { totalLinesAdded: 0, totalLinesRemoved: 0 },
  };
  const text = run.result ?? "Done.";
  if (format === "json")
    process.stdout.write(
      `${JSON.stringify({ session_id: sessionId, response: text, stats }, null, 2)}\n`,
    );
  else if (format === "stream-json") {
    const now = () => new Date().toISOString();
    for (const event of [
      { type: "init", timestamp: now(), session_id: sessionId, model },
      { type: "message", timestamp: now(), role: "user", content: prompt },
      { type: "message", timestamp: now(), role: "assistant", content: text, delta: true },
      {
        type: "result",
        timestamp: now(),
        status: "success",
        stats: {
          total_tokens: tokens.total,
          input_tokens: promptTokens,
          output_tokens: candidates,
          cached,
          input: tokens.input,
          duration_ms: 812,
          tool_calls: 0,
        },
      },
    ])
      process.stdout.write(`${JSON.stringify(event)}\n`);
  } else process.stdout.write(`${text}\n`);
  return run.exitCode ?? 0;
}
