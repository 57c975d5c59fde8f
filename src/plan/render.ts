/**
 * Plan → AI-PLAN.md. YAML front matter (values written as JSON strings, which YAML reads too),
 * `# title`, the summary, then one `## S1: title` section per step: `files:`, `depends:` and
 * `validate:` lines, a blank line, the description. Paths and commands are written in
 * backticks, or as JSON strings when they contain one. Pure.
 */
import { planFormat, type PlanDocument } from "./document.ts";
import type { PlanStep } from "./schema.ts";

/** A path or command as one token: `…`, or "…" when it holds a backtick. */
export function quoteToken(value: string): string {
  return value.includes("`") ? JSON.stringify(value) : `\`${value}\``;
}

/** `modify \`a.ts\``, with ` because "…"` when the plan gives a reason. */
function fileItem(file: PlanStep["files"][number]): string {
  const item = `${file.action} ${quoteToken(file.path)}`;
  return file.reason === undefined ? item : `${item} because ${JSON.stringify(file.reason)}`;
}

function stepLines(step: PlanStep): string[] {
  const lines = [`## ${step.id}: ${step.title}`, ""];
  lines.push(`files: ${step.files.length === 0 ? "none" : step.files.map(fileItem).join(", ")}`);
  if (step.dependsOn !== undefined)
    lines.push(`depends: ${step.dependsOn.length === 0 ? "none" : step.dependsOn.join(", ")}`);
  if (step.validate !== undefined) {
    lines.push(
      `validate: ${step.validate.length === 0 ? "none" : step.validate.map(quoteToken).join(", ")}`,
    );
  }
  lines.push("");
  if (step.description !== "") lines.push(step.description, "");
  return lines;
}

export function renderPlan({ meta, plan }: PlanDocument): string {
  const front = [
    "---",
    `spe: ${planFormat}`,
    `id: ${JSON.stringify(meta.id)}`,
    `spec: ${JSON.stringify(meta.spec)}`,
    `base: ${JSON.stringify(meta.base)}`,
  ];
  if (plan.validate !== undefined) {
    if (plan.validate.length === 0) front.push("validate: []");
    else front.push("validate:", ...plan.validate.map((c) => `  - ${JSON.stringify(c)}`));
  }
  const cited = Object.entries(meta.cited);
  if (cited.length === 0) front.push("cited: {}");
  else
    front.push(
      "cited:",
      ...cited.map(([path, blob]) => `  ${JSON.stringify(path)}: ${JSON.stringify(blob)}`),
    );
  front.push("---", "");
  const body = [`# ${plan.title}`, ""];
  if (plan.summary !== "") body.push(plan.summary, "");
  for (const step of plan.steps) body.push(...stepLines(step));
  return `${[...front, ...body].join("\n").replace(/\n+$/, "")}\n`;
}
