/**
 * Fake `claude` (Claude Code headless). Parses the real flags, refuses what the real CLI
 * refuses (stream-json without --verbose in print mode, unknown options), and prints what it
 * prints: with `--output-format stream-json` one JSON event per line — `system`/`init`,
 * `assistant` messages (a Write tool_use plus its `user` tool_result for each scripted file),
 * then `result`; with `json` only the result object; with `text` the result text. A failed run
 * has `is_error: true` and exits 1.
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
  runCommands,
  spawnGrandchild,
} from "./script.mjs";

const booleans = [
  "--print",
  "--verbose",
  "--dangerously-skip-permissions",
  "--continue",
  "--include-partial-messages",
  "--debug",
];
const values = [
  "--output-format",
  "--input-format",
  "--model",
  "--permission-mode",
  "--max-turns",
  "--append-system-prompt",
  "--system-prompt",
  "--json-schema",
  "--resume",
  "--session-id",
  "--max-budget-usd",
  "--fallback-model",
  "--settings",
  "--effort",
];
const arrays = ["--allowedTools", "--disallowedTools", "--add-dir", "--mcp-config"];
const aliases = {
  "-p": "--print",
  "-c": "--continue",
  "-r": "--resume",
  "-d": "--debug",
  "--allowed-tools": "--allowedTools",
  "--disallowed-tools": "--disallowedTools",
};

export async function main(argv) {
  const { options, positionals } = parseArgs(argv, {
    booleans,
    values,
    arrays,
    aliases,
    unknown: (arg) => fail(`error: unknown option '${arg}'`),
  });
  if (!options["--print"]) fail("fake claude: only print mode (-p) is supported", 2);
  const format = options["--output-format"] ?? "text";
  if (!["text", "json", "stream-json"].includes(format))
    fail(
      `error: option '--output-format <format>' argument '${format}' is invalid. Allowed choices are text, json, stream-json.`,
    );
  if (format === "stream-json" && !options["--verbose"])
    fail("Error: When using --print, --output-format=stream-json requires --verbose");
  const effort = options["--effort"];
  // As Claude Code 2.1 does with a value it does not know: a warning, then the default.
  if (effort !== undefined && !["low", "medium", "high", "xhigh", "max"].includes(effort))
    process.stderr.write(
      `Warning: Unknown --effort value '${effort}' — ignoring it and using the default effort. Valid values: low, medium, high, xhigh, max.\n`,
    );
  const prompt = positionals.join(" ");
  const stdin = await readStdin();
  if (!prompt.trim() && !stdin.trim())
    fail(
      "Error: Input must be provided either through stdin or as a prompt argument when using --print",
    );

  const { invocation: run, index } = nextInvocation("claude");
  const model = run.model ?? options["--model"] ?? "claude-sonnet-5-5";
  const grandchildPid = run.grandchild ? spawnGrandchild() : undefined;
  const commands = runCommands(run.commands);
  logInvocation({
    commands,
    bin: "claude",
    index,
    argv,
    prompt,
    stdin,
    model,
    grandchildPid,
    systemPrompt: options["--append-system-prompt"] ?? options["--system-prompt"],
    permissionMode: options["--permission-mode"],
    allowedTools: options["--allowedTools"],
    maxTurns: options["--max-turns"] === undefined ? undefined : Number(options["--max-turns"]),
    jsonSchema:
      options["--json-schema"] === undefined ? undefined : JSON.parse(options["--json-schema"]),
  });

  const sessionId = `00000000-0000-4000-8000-${String(index + 1).padStart(12, "0")}`;
  const usage = {
    input_tokens: run.usage?.input ?? 4,
    cache_creation_input_tokens: run.usage?.cacheWrite ?? 0,
    cache_read_input_tokens: run.usage?.cacheRead ?? 0,
    output_tokens: run.usage?.output ?? 12,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: "standard",
  };
  const emit = (event) => {
    if (format === "stream-json")
      process.stdout.write(
        `${JSON.stringify({ ...event, session_id: sessionId, uuid: randomUUID() })}\n`,
      );
  };
  const assistant = (content, stopReason = null) =>
    emit({
      type: "assistant",
      message: {
        id: `msg_fake_${index}_${randomUUID().slice(0, 8)}`,
        type: "message",
        role: "assistant",
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      },
      parent_tool_use_id: null,
    });

  emit({
    type: "system",
    subtype: "init",
    cwd: process.cwd(),
    model,
    tools: ["Task", "Bash", "Glob", "Grep", "Read", "Edit", "Write", "TodoWrite"],
    mcp_servers: [],
    permissionMode: options["--permission-mode"] ?? "default",
    slash_commands: [],
    apiKeySource: process.env.ANTHROPIC_API_KEY ? "ANTHROPIC_API_KEY" : "none",
    output_style: "default",
  });
  await delay(run.delayMs);
  if (run.stderr) process.stderr.write(run.stderr.endsWith("\n") ? run.stderr : `${run.stderr}\n`);
  if (run.stdout !== undefined) {
    process.stdout.write(run.stdout);
    return run.exitCode ?? 0;
  }
  for (const { file, content } of applyFiles(run.files)) {
    const id = `toolu_fake_${randomUUID().slice(0, 8)}`;
    assistant(
      [{ type: "tool_use", id, name: "Write", input: { file_path: file, content: content ?? "" } }],
      "tool_use",
    );
    emit({
      type: "user",
      message: {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: id,
            content: `File created successfully at: ${file}`,
          },
        ],
      },
      parent_tool_use_id: null,
    });
  }

  const subtype = run.subtype ?? "success";
  const isError = run.isError ?? subtype !== "success";
  const text = run.result ?? (isError ? "API Error: scripted failure" : "Done.");
  if (!isError) assistant([{ type: "text", text }], "end_turn");
  const result = {
    type: "result",
    subtype,
    is_error: isError,
    duration_ms: run.durationMs ?? 1234,
    duration_api_ms: run.durationMs ?? 1000,
    num_turns: run.numTurns ?? 1 + Object.keys(run.files ?? {}).length,
    ...(subtype === "success" ? { result: text } : { errors: run.errors ?? [text] }),
    stop_reason: isError ? null : "end_turn",
    session_id: sessionId,
    total_cost_usd: run.costUsd ?? 0.0042,
    usage,
    modelUsage: {
      [model]: {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cacheReadInputTokens: usage.cache_read_input_tokens,
        cacheCreationInputTokens: usage.cache_creation_input_tokens,
        webSearchRequests: 0,
        costUSD: run.costUsd ?? 0.0042,
        contextWindow: 1_000_000,
      },
    },
    permission_denials: [],
    ...(run.structuredOutput !== undefined && options["--json-schema"]
      ? { structured_output: run.structuredOutput }
      : {}),
    uuid: randomUUID(),
  };
  if (format === "stream-json") process.stdout.write(`${JSON.stringify(result)}\n`);
  else if (format === "json") process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${text}\n`);
  return run.exitCode ?? (isError ? 1 : 0);
}
