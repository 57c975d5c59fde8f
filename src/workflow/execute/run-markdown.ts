/**
 * A run record as markdown (`git spe show ID run --format markdown`), e.g. a pull request's
 * body on CI: status, steps with each attempt's validation and the tree it validated, final
 * validation, drift, validation changes, usage and cost. Model-written text (step summaries,
 * command output) goes in code spans or fences, never as markdown of its own. Pure.
 */
import { thousands } from "../../util/thousands.ts";
import { formatDrift } from "./drift.ts";
import {
  type CommandRun,
  failedRun,
  type RunState,
  runValidations,
  type ValidationRecord,
} from "./run-state.ts";
import { formatValidationGate } from "./validation-gate.ts";

const short = (id: string | undefined) => (id ? id.slice(0, 12) : "—");

/** Text in a table cell: one line, no pipe that would end the cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

/** A code span that holds `text` whatever backticks it contains. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  // A pipe is escaped even in a code span: it would end a table cell.
  return `${fence}${pad}${cell(text)}${pad}${fence}`;
}

/** A fenced block longer than any backtick run in `text`. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${text.replace(/\n+$/, "")}\n${fence}`;
}

function commandLine(run: CommandRun): string {
  const outcome = run.timedOut ? "timed out" : `exit ${run.exitCode ?? "none"}`;
  const tests = run.tests
    ? ` — ${run.tests.passed} passed, ${run.tests.failed} failed, ${run.tests.skipped} skipped`
    : "";
  return `${code(run.command)}: ${outcome}${tests}`;
}

function validationLines(label: string, validation: ValidationRecord): string[] {
  const head = `- **${label}**: ${validation.passed ? "passed" : "failed"} on tree ${code(short(validation.tree))}`;
  return [head, ...validation.runs.map((run) => `  - ${commandLine(run)}`)];
}

function usageLine(state: RunState): string {
  const u = state.usage;
  const cached = u.cacheReadTokens ? ` (${thousands(u.cacheReadTokens)} cached)` : "";
  const thinking = u.thinkingTokens ? ` (${thousands(u.thinkingTokens)} thinking)` : "";
  const cost = state.costUsd === null ? "cost unknown" : `$${state.costUsd.toFixed(4)}`;
  return `${thousands(u.inputTokens)} in${cached}, ${thousands(u.outputTokens)} out${thinking}, ${cost}`;
}

export function formatRunMarkdown(state: RunState): string {
  const lines = [
    `## git spe run ${code(state.specId)}: ${state.status}`,
    "",
    ...(state.message ? [`> ${code(state.message)}`, ""] : []),
    "| | |",
    "| --- | --- |",
    `| run | ${code(state.runId)} |`,
    `| base | ${code(short(state.base))} |`,
    `| branch | ${code(state.branch)} |`,
    `| merge | ${state.mergeResult ? `${state.mergeResult.mode}: ${state.mergeResult.result}` : state.merge} |`,
    `| usage | ${usageLine(state)} |`,
    "",
    "### Steps",
    "",
    "| step | title | status | attempts | commit | validated tree |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const step of state.steps) {
    const last = step.attempts.at(-1)?.validation;
    const tree = last ? `${last.passed ? "passed" : "failed"} ${code(short(last.tree))}` : "—";
    lines.push(
      `| ${step.id} | ${code(step.title)} | ${step.status} | ${step.attempts.length} | ${step.commit ? code(short(step.commit)) : "—"} | ${tree} |`,
    );
  }
  lines.push("", "### Validations", "");
  for (const { label, validation } of runValidations(state))
    lines.push(...validationLines(label, validation));
  const failing = [state.finalValidation, ...state.steps.map((s) => s.attempts.at(-1)?.validation)]
    .filter((v): v is ValidationRecord => v !== undefined && !v.passed)
    .map((v) => failedRun(v))
    .find((run) => run !== undefined);
  if (failing)
    lines.push(
      "",
      "<details><summary>Output of the failing validation</summary>",
      "",
      fenced(failing.output),
      "",
      "</details>",
    );
  if (state.drift) lines.push("", "### Drift", "", fenced(formatDrift(state.drift).join("\n")));
  lines.push("", "### Validation changes", "", fenced(formatValidationGate(state).join("\n")));
  return `${lines.join("\n")}\n`;
}
