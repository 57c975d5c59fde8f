/**
 * The prompt for one step, the same for every executor: the spec, the whole plan, the step, the
 * step's files as they are in the worktree, and on a repair attempt the failed validation.
 */
import fs from "node:fs/promises";
import { createPathConfinement } from "../../agent/confine-path.ts";
import { ToolError } from "../../agent/tool-result.ts";
import type { PlanStep } from "../../plan/schema.ts";
import { loadPrompt } from "../prompts.ts";
import type { ValidationRecord } from "./run-state.ts";

const maxFileChars = 60_000;

function fence(content: string): string {
  const longest = Math.max(2, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  return "`".repeat(longest + 1);
}

export async function stepFiles(worktree: string, step: PlanStep): Promise<string> {
  if (step.files.length === 0) return "(this step names no files)";
  // The plan's paths are checked (relative, no "..", not in .git), but a tracked symlink can
  // still lead out of the worktree: resolve them as the editor tool does, never read outside.
  const confinement = await createPathConfinement(worktree);
  const parts: string[] = [];
  for (const file of step.files) {
    let content: string | undefined;
    let absent = "does not exist yet";
    try {
      content = await fs.readFile((await confinement.resolve(file.path)).real, "utf8");
    } catch (error) {
      if (error instanceof ToolError) absent = "not shown: it is outside the worktree";
      content = undefined;
    }
    if (content === undefined) {
      parts.push(`## ${file.path} (${file.action}; ${absent})`);
      continue;
    }
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
}): Promise<string> {
  return loadPrompt("exec-step", {
    spec: options.spec.trim(),
    plan: options.planText.replace(/^---\n[^]*?\n---\n/, "").trim(),
    stepId: options.step.id,
    step: describeStep(options.step),
    files: await stepFiles(options.worktree, options.step),
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
