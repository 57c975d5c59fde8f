/** The run record as markdown: what a PR body shows, with model-written text kept inert. */
import { describe, expect, it } from "vitest";
import { formatRunMarkdown } from "../../src/workflow/execute/run-markdown.ts";
import type { RunState } from "../../src/workflow/execute/run-state.ts";

const tree = "a".repeat(40);
const run = (overrides: Partial<RunState> = {}): RunState => ({
  spe: "run/v1",
  runId: "20261206T040000-ab12",
  specId: "20261206-add-square",
  status: "failed",
  message: "S1 failed validation",
  startedAt: "2026-12-06T04:00:00.000Z",
  updatedAt: "2026-12-06T04:01:00.000Z",
  pid: 1,
  target: null,
  startHead: "b".repeat(40),
  base: "b".repeat(40),
  branch: "spe/20261206-add-square",
  worktree: "/tmp/w",
  merge: "none",
  keepWorktree: false,
  maxCostUsd: null,
  planText: "",
  rows: [],
  steps: [
    {
      id: "S1",
      title: "Add | square `x` [click](https://evil.example)",
      status: "failed",
      attempts: [
        {
          n: 1,
          startedAt: "2026-12-06T04:00:10.000Z",
          validation: {
            passed: false,
            tree,
            runs: [
              {
                command: "npm test",
                exitCode: 1,
                timedOut: false,
                durationMs: 500,
                output: "not ok 2 - square\n```\n# fail 1\n",
                tests: { runner: "node", passed: 1, failed: 1, skipped: 0 },
              },
            ],
          },
        },
      ],
    },
  ],
  usage: {
    inputTokens: 1200,
    outputTokens: 300,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    thinkingTokens: 100,
  },
  costUsd: 0.0123,
  ...overrides,
});

describe("formatRunMarkdown", () => {
  it("shows status, each validation with its tree and counts, the failing output, usage", () => {
    const text = formatRunMarkdown(run());
    expect(text).toContain("## git spe run `20261206-add-square`: failed");
    expect(text).toContain("- **S1 attempt 1**: failed on tree `aaaaaaaaaaaa`");
    expect(text).toContain("  - `npm test`: exit 1 — 1 passed, 1 failed, 0 skipped");
    expect(text).toContain("| usage | 1,200 in, 300 out (100 thinking), $0.0123 |");
    // The failing output in a fence longer than the backticks it holds.
    expect(text).toContain("````\nnot ok 2 - square\n```\n# fail 1\n````");
    expect(text).toContain("validation changes: none");
  });

  it("keeps a model-written title inert: in a code span, its pipe escaped", () => {
    const row = formatRunMarkdown(run())
      .split("\n")
      .find((line) => line.startsWith("| S1 |"))!;
    expect(row).toContain("``Add \\| square `x` [click](https://evil.example)``");
    // Still six cells: the pipe in the title did not open a seventh.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
  });
});
