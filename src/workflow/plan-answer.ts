/** Reading a plan model's answer: plan JSON, or failing that valid AI-PLAN.md markdown. Pure. */
import { formatPath } from "../config/validate.ts";
import { parsePlanMarkdown, PlanParseError } from "../plan/parse.ts";
import { planSchema, type Plan } from "../plan/schema.ts";
import type { ModelCallResult } from "../providers/types.ts";
import { answerJson, type Validation } from "./model-call.ts";

export function validatePlanAnswer(result: ModelCallResult): Validation<Plan> {
  const json = answerJson(result);
  let problems: string[] = [];
  if (json !== undefined) {
    const parsed = planSchema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  }
  const text = result.text.trim();
  if (json === undefined && /^(---\n|# )/.test(text)) {
    try {
      // A model that answers with markdown: its own front matter, if any, is not ours.
      return {
        ok: true,
        value: parsePlanMarkdown(text.replace(/^---\n[^]*?\n---\n/, ""), {
          frontMatter: false,
          file: "answer",
        }).plan,
      };
    } catch (error) {
      if (!(error instanceof PlanParseError)) throw error;
      problems = error.problems.map((p) => `line ${p.line}: ${p.message}`);
    }
  }
  if (problems.length === 0) {
    problems = [
      `the answer is neither plan JSON nor AI-PLAN.md markdown${result.jsonError ? ` (${result.jsonError})` : ""}`,
    ];
  }
  return { ok: false, problems };
}
