/**
 * Output discipline: data goes to stdout (`result`, `json`); everything a human reads goes to
 * stderr. With `--json`, stdout carries exactly one JSON document and nothing else.
 */
import type { Writable } from "node:stream";

export interface Logger {
  /** Primary human-readable output (a packed context, an artifact): stdout unless --json. */
  result(text: string): void;
  /** The machine-readable result for --json. Ignored without --json. */
  json(value: unknown): void;
  info(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  debug(text: string): void;
  /**
   * A transient status line on stderr (rewritten in place on a terminal, one line per call
   * otherwise; callers throttle). `undefined` clears it. Silent under --quiet and --json.
   */
  progress(text: string | undefined): void;
  /**
   * One of several status lines shown at once (a step in flight under `exec --parallel`): on a
   * terminal every key keeps its own line, rewritten in place; otherwise like `progress`.
   */
  progressOf?(key: string, text: string | undefined): void;
  readonly jsonMode: boolean;
  readonly color: boolean;
}

export interface LoggerOptions {
  stdout: Writable;
  stderr: Writable;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  color?: boolean;
  /** Whether stderr is a terminal (progress is rewritten in place there). */
  stderrIsTTY?: boolean;
}

const ansi = { red: 31, green: 32, yellow: 33, dim: 2 } as const;

export function paint(enabled: boolean, style: keyof typeof ansi, text: string): string {
  return enabled ? `\u001b[${ansi[style]}m${text}\u001b[0m` : text;
}

/** NO_COLOR (any non-empty value) wins; otherwise colour only on a terminal. */
export function shouldUseColor(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/**
 * Diagnostics can carry text we did not write (a spec title, a file name, a model's message): its
 * control characters are shown as escapes, so nothing can move the cursor, recolour, retitle or
 * clear the user's terminal, and bidirectional overrides and line/paragraph separators as
 * `\u{…}`, so nothing reorders what the line seems to say. Newlines and tabs stay; results on
 * stdout are written as they are.
 */
export function visibleText(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u{${code.toString(16)}}`;
    },
  );
}

export function createLogger(options: LoggerOptions): Logger {
  const { stdout, stderr } = options;
  const json = options.json ?? false;
  const quiet = options.quiet ?? false;
  const debug = options.debug ?? false;
  const color = options.color ?? false;
  const tty = options.stderrIsTTY ?? false;
  // On a terminal the status lines (one per key, "" for plain progress) sit below the log and
  // are rewritten in place; a log line clears them first and they come back with the next update.
  const board = new Map<string, string>();
  let shownLines = 0;
  const clearProgress = () => {
    if (shownLines > 0) stderr.write(`\r\u001b[K${"\u001b[1A\u001b[K".repeat(shownLines - 1)}`);
    shownLines = 0;
  };
  const showBoard = () => {
    const lines = [...board.values()];
    if (lines.length === 0 && shownLines === 0) return;
    const up = "\u001b[1A\u001b[K".repeat(Math.max(0, shownLines - 1));
    stderr.write(`\r\u001b[K${up}${lines.join("\n")}`);
    shownLines = lines.length;
  };
  const line = (stream: Writable, text: string) => {
    if (stream === stderr) clearProgress();
    stream.write(text.endsWith("\n") ? text : `${text}\n`);
  };
  const progressOf = (key: string, text: string | undefined) => {
    if (quiet || json) return;
    if (!tty) {
      if (text !== undefined) stderr.write(`${visibleText(text)}\n`);
      return;
    }
    if (text === undefined) board.delete(key);
    else board.set(key, visibleText(text).split("\n")[0] ?? "");
    showBoard();
  };
  return {
    jsonMode: json,
    color,
    // Under --json the human report goes to stderr with the diagnostics, escaped like them.
    result: (text) => (json ? line(stderr, visibleText(text)) : line(stdout, text)),
    json: (value) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    info: (text) => {
      if (!quiet) line(stderr, visibleText(text));
    },
    success: (text) => {
      if (!quiet) line(stderr, paint(color, "green", visibleText(text)));
    },
    warn: (text) => line(stderr, paint(color, "yellow", `warning: ${visibleText(text)}`)),
    error: (text) => line(stderr, paint(color, "red", `error: ${visibleText(text)}`)),
    debug: (text) => {
      if (debug) line(stderr, paint(color, "dim", `debug: ${visibleText(text)}`));
    },
    progress: (text) => progressOf("", text),
    progressOf,
  };
}

/** `base` with its progress on its own status line, `key` (a step in flight). */
export function laneLogger(base: Logger, key: string): Logger {
  return {
    ...base,
    progress: (text) => (base.progressOf ? base.progressOf(key, text) : base.progress(text)),
  };
}

/** A logger that records everything, for tests and for capturing plugin output. */
export function createMemoryLogger(options: { json?: boolean } = {}): Logger & {
  readonly lines: { level: string; text: string }[];
  readonly jsonValues: unknown[];
} {
  const lines: { level: string; text: string }[] = [];
  const jsonValues: unknown[] = [];
  const push = (level: string) => (text: string) => void lines.push({ level, text });
  return {
    jsonMode: options.json ?? false,
    color: false,
    lines,
    jsonValues,
    result: push("result"),
    json: (value) => void jsonValues.push(value),
    info: push("info"),
    success: push("success"),
    warn: push("warn"),
    error: push("error"),
    debug: push("debug"),
    progress: (text) => {
      if (text !== undefined) lines.push({ level: "progress", text });
    },
  };
}
