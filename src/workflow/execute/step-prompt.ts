/**
 * The prompt for one step, the same for every executor: the spec, the whole plan, the step, the
 * step's files as they are in the worktree (less what context packing keeps from a model: files
 * excluded by .speignore or context.exclude, binary files, files the secret scan flags), and on a
 * repair attempt the failed validation.
 */
import fs from "node:fs/promises";
import { createPathConfinement } from "../../agent/confine-path.ts";
import { ToolError } from "../../agent/tool-result.ts";
import type { IgnoreTest } from "../../context/ignore-rules.ts";
import { looksBinary } from "../../context/read.ts";
import { scanSecrets } from "../../context/secrets.ts";
import type { PlanStep } from "../../plan/schema.ts";
import { loadPrompt } from "../prompts.ts";
import type { ValidationRecord } from "./run-state.ts";

const maxFileChars = 60_000;

function fence(content: string): string {
  const longest = Math.max(2, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  return "`".repeat(longest + 1);
}

/** What keeps a planned file's content out of the prompt, as for context packing. */
export interface StepFileFilter {
  /** `.speignore` and `context.exclude`. */
  isIgnored: IgnoreTest;
  /** Called once per file left out, with why (never its content). */
  onWithheld?: (path: string, reason: string) => void;
}

const noFilter: StepFileFilter = { isIgnored: () => false };

/** Why a file's content is not shown, or undefined to show it. */
async function withheld(file: string, bytes: Buffer, filter: StepFileFilter) {
  if (filter.isIgnored(file)) return "excluded by .speignore or context.exclude";
  if (looksBinary(bytes)) return "binary";
  const findings = (await scanSecrets([{ key: file, text: bytes.toString("utf8") }])).get(file);
  const first = findings?.[0];
  if (first) return `it may hold a secret (${first.ruleId}, line ${first.line})`;
  return undefined;
}

export async function stepFiles(
  worktree: string,
  step: PlanStep,
  filter: StepFileFilter = noFilter,
): Promise<string> {
  if (step.files.length === 0) return "(this step names no files)";
  // The plan's paths are checked (relative, no "..", not in .git), but a tracked symlink can
  // still lead out of the worktree: resolve them as the editor tool does, never read outside.
  const confinement = await createPathConfinement(worktree);
  const parts: string[] = [];
  for (const file of step.files) {
    let bytes: Buffer | undefined;
    let absent = "does not exist yet";
    try {
      bytes = await fs.readFile((await confinement.resolve(file.path)).real);
    } catch (error) {
      if (error instanceof ToolError) absent = "not shown: it is outside the worktree";
      bytes = undefined;
    }
    if (bytes === undefined) {
      parts.push(`## ${file.path} (${file.action}; ${absent})`);
      continue;
    }
    // The same rules that keep a file out of packed context keep its content out of the step.
    const reason = await withheld(file.path, bytes, filter);
    if (reason !== undefined) {
      filter.onWithheld?.(file.path, reason);
      parts.push(`## ${file.path} (${file.action}; not shown: ${reason})`);
      continue;
    }
    const content = bytes.toString("utf8");
    const shown =
      content.length > maxFileChars
        ? `${content.slice(0, maxFileChars)}\n… (${content.length - maxFileChars} more characters; view the file for the rest)`
        : content;
    const marker = fence(shown);
    parts.push(
      `## ${file.path} (${file.action})\n${marker}\n${shown}${shown.endsWith("\n") ? "" : "\n"}${marker}`,
    );
  }
  return parts.join("\n\n");
}

export function describeStep(step: PlanStep): string {
  const lines = [`## ${step.id}: ${step.title}`, ""];
  lines.push(
    `Files: ${step.files.length === 0 ? "none" : step.files.map((f) => `${f.action} ${f.path}`).join(", ")}`,
  );
  if (step.validate?.length) lines.push(`Validated with: ${step.validate.join("; ")}`);
  lines.push("", step.description);
  return lines.join("\n");
}

export async function buildStepPrompt(options: {
  spec: string;
  planText: string;
  step: PlanStep;
  worktree: string;
  filter?: StepFileFilter;
}): Promise<string> {
  return loadPrompt("exec-step", {
    spec: options.spec.trim(),
    plan: options.planText.replace(/^---\n[^]*?\n---\n/, "").trim(),
    stepId: options.step.id,
    step: describeStep(options.step),
    files: await stepFiles(options.worktree, options.step, options.filter),
  });
}

/** The failing part of a validation, for the model: the first failing command and its output. */
export function describeFailure(validation: ValidationRecord): string {
  const failed = validation.runs.find((run) => run.exitCode !== 0 || run.timedOut);
  if (!failed) return "(no command failed)";
  if (failed.plugin) {
    const status = failed.timedOut ? "timed out" : "failed";
    return `Validator ${failed.command} (plugin ${failed.plugin}) ${status}:\n${fence(failed.output)}\n${failed.output}\n${fence(failed.output)}`;
  }
  const status = failed.timedOut ? "timed out" : `exit code ${failed.exitCode}`;
  return `$ ${failed.command}\n(${status})\n${fence(failed.output)}\n${failed.output}\n${fence(failed.output)}`;
}

export function repairPrompt(
  validation: ValidationRecord,
  attempt: number,
  attempts: number,
): string {
  return loadPrompt("exec-repair", {
    attempt: String(attempt),
    attempts: String(attempts),
    failure: describeFailure(validation),
  });
}
