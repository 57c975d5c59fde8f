/**
 * How many tests a validator ran, read from its output: the summary lines of vitest, jest,
 * node --test (tap and spec reporters), pytest, go test (-v or -json) and cargo test. The last
 * summary in the output wins (a watch-free run prints one). Skipped counts what the runner did
 * not run: skipped, todo, pending, deselected, ignored, filtered out, xfailed. Pure.
 */
import { stripAnsi } from "../util/ansi.ts";

export interface TestCounts {
  /** The runner whose summary was read ("vitest", "pytest", or a plugin's name). */
  runner: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** A plugin's reader for its runner's output: counts, or undefined when it does not apply. */
export type TestCountReader = (output: string, command: string) => TestCounts | undefined;

const lastMatch = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].at(-1);

/** "3 passed | 1 skipped", "1 failed, 5 passed" → counts by word. */
function tally(parts: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const match of parts.matchAll(/(\d+) ([a-z]+)/g))
    out.set(match[2] as string, (out.get(match[2] as string) ?? 0) + Number(match[1]));
  return out;
}

const sum = (counts: Map<string, number>, words: readonly string[]) =>
  words.reduce((total, word) => total + (counts.get(word) ?? 0), 0);

function vitest(text: string): TestCounts | undefined {
  // " Tests  1 failed | 11 passed | 2 skipped (14)"
  const match = lastMatch(text, /^\s*Tests\s{2,}((?:\d+ [a-z]+(?: \| )?)+)\s*\((\d+)\)\s*$/gm);
  if (!match) return undefined;
  const counts = tally(match[1] as string);
  return {
    runner: "vitest",
    passed: sum(counts, ["passed"]),
    failed: sum(counts, ["failed"]),
    skipped: sum(counts, ["skipped", "todo"]),
  };
}

function jest(text: string): TestCounts | undefined {
  // "Tests:       1 failed, 1 skipped, 5 passed, 7 total"
  const match = lastMatch(text, /^Tests:\s+((?:\d+ [a-z]+, )*)\d+ total\s*$/gm);
  if (!match) return undefined;
  const counts = tally(match[1] as string);
  return {
    runner: "jest",
    passed: sum(counts, ["passed"]),
    failed: sum(counts, ["failed"]),
    skipped: sum(counts, ["skipped", "todo", "pending"]),
  };
}

function nodeTest(text: string): TestCounts | undefined {
  // tap: "# pass 5", spec: "ℹ pass 5"
  const field = (name: string) =>
    lastMatch(text, new RegExp(`^(?:#|ℹ) ${name} (\\d+)\\s*$`, "gm"))?.[1];
  const pass = field("pass");
  const fail = field("fail");
  if (field("tests") === undefined || pass === undefined || fail === undefined) return undefined;
  return {
    runner: "node --test",
    passed: Number(pass),
    failed: Number(fail) + Number(field("cancelled") ?? 0),
    skipped: Number(field("skipped") ?? 0) + Number(field("todo") ?? 0),
  };
}

function pytest(text: string): TestCounts | undefined {
  // "==== 5 passed, 1 skipped in 0.12s ====", or with -q: "5 passed, 1 skipped in 0.12s"
  const words = "passed|failed|skipped|xfailed|xpassed|errors?|deselected|warnings?|rerun";
  const pattern = new RegExp(
    `^=*\\s*((?:\\d+ (?:${words})(?:, )?)+|no tests ran)(?: in [\\d.]+s(?: \\([^)]*\\))?)\\s*=*\\s*$`,
    "gm",
  );
  const match = lastMatch(text, pattern);
  if (!match) return undefined;
  const counts = tally(match[1] as string);
  return {
    runner: "pytest",
    passed: sum(counts, ["passed", "xpassed"]),
    failed: sum(counts, ["failed", "error", "errors"]),
    skipped: sum(counts, ["skipped", "xfailed", "deselected"]),
  };
}

function goTest(text: string): TestCounts | undefined {
  const verbose = [...text.matchAll(/^\s*--- (PASS|FAIL|SKIP): /gm)].map((m) => m[1]);
  const json = [...text.matchAll(/"Action":"(pass|fail|skip)","Package":"[^"]*","Test":/g)].map(
    (m) => (m[1] as string).toUpperCase(),
  );
  const results = verbose.length > 0 ? verbose : json;
  if (results.length === 0) return undefined;
  const count = (what: string) => results.filter((r) => r === what).length;
  return {
    runner: "go test",
    passed: count("PASS"),
    failed: count("FAIL"),
    skipped: count("SKIP"),
  };
}

function cargoTest(text: string): TestCounts | undefined {
  // one line per test binary: "test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 2 filtered out; …"
  const lines = [
    ...text.matchAll(
      /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; \d+ measured; (\d+) filtered out/gm,
    ),
  ];
  if (lines.length === 0) return undefined;
  const total = (i: number) => lines.reduce((n, m) => n + Number(m[i]), 0);
  return { runner: "cargo test", passed: total(1), failed: total(2), skipped: total(3) + total(4) };
}

const builtIn = [vitest, jest, nodeTest, pytest, goTest, cargoTest];

/** The counts in a validator's output: the plugins' readers first, then the built-in ones. */
export function readTestCounts(
  output: string,
  command: string,
  readers: readonly TestCountReader[] = [],
): TestCounts | undefined {
  const text = stripAnsi(output).replace(/\r\n?/g, "\n");
  for (const reader of readers) {
    const counts = reader(text, command);
    if (counts) return counts;
  }
  for (const reader of builtIn) {
    const counts = reader(text);
    if (counts) return counts;
  }
  return undefined;
}

/** Tests that ran: passed and failed, not skipped. */
export const testsRun = (counts: TestCounts) => counts.passed + counts.failed;
