/**
 * The plan contract: one zod schema gives the types, the validation of a model's answer and
 * the JSON schema the model is asked to follow. Paths and commands come from a model, so they
 * are treated as hostile: no absolute paths, no `..`, nothing under `.git/`, no control
 * characters. Text fields are normalized (LF line ends, trimmed) so that a validated plan
 * survives `parse(render(plan))` unchanged. Pure.
 */
import { z } from "zod";

/** A line that would start a new step inside a description cannot be told apart from one. */
export const stepHeaderLine = /^## S\d+: /m;

const oneLine = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "must not be empty")
      .refine((s) => !/[\r\n]/.test(s), "must be a single line"),
  );

const markdown = z
  .string()
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .refine(
    (s) => !stepHeaderLine.test(s),
    'must not contain a line starting with "## S<n>: " (that starts a step)',
  );

export function pathProblem(path: string): string | undefined {
  if (path === "") return "is empty";
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(path)) return "contains a control character";
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path))
    return "is absolute; use a path relative to the repository root";
  const segments = path.split("/");
  if (segments.some((s) => s === "..")) return 'leaves the repository ("..")';
  if (segments.some((s) => s === "" || s === ".")) return 'has an empty or "." segment';
  // Any .git component (a submodule's or nested repository's too), in any case, as the editor
  // tool refuses it: a plan never points the executor at git data.
  if (segments.some((s) => s.toLowerCase() === ".git")) return "is inside .git";
  return undefined;
}

export const planPathSchema = z.string().superRefine((path, ctx) => {
  const problem = pathProblem(path);
  if (problem) ctx.addIssue({ code: "custom", message: `path ${JSON.stringify(path)} ${problem}` });
});

export const stepIdSchema = z.string().regex(/^S[1-9]\d*$/, 'must look like "S1", "S2", …');

export const planFileSchema = z.object({
  path: planPathSchema,
  action: z.enum(["create", "modify", "delete"]),
  /**
   * Why the step changes what decides "done" here (deletes or renames a test, skips one, edits
   * a runner config or a validator's script): a change declared with a reason is not held
   * back as a validation change at merge.
   */
  reason: oneLine.optional(),
});

export const planStepSchema = z.object({
  id: stepIdSchema,
  title: oneLine,
  description: markdown.refine(
    (s) => !/^(files|depends|validate):/.test(s),
    'must not begin with a "files:", "depends:" or "validate:" line (those are the step\'s fields)',
  ),
  files: z.array(planFileSchema),
  dependsOn: z.array(stepIdSchema).optional(),
  validate: z.array(oneLine).optional(),
});

export const planSchema = z
  .object({
    title: oneLine,
    summary: markdown,
    steps: z.array(planStepSchema).min(1, "a plan needs at least one step"),
    validate: z.array(oneLine).optional(),
  })
  .superRefine((plan, ctx) => {
    plan.steps.forEach((step, index) => {
      const expected = `S${index + 1}`;
      if (step.id !== expected) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", index, "id"],
          message: `steps are numbered in order: expected ${expected} here`,
        });
      }
      for (const dep of step.dependsOn ?? []) {
        const target = Number(dep.slice(1));
        if (!(target >= 1 && target <= index)) {
          ctx.addIssue({
            code: "custom",
            path: ["steps", index, "dependsOn"],
            message: `${dep} is not an earlier step`,
          });
        }
      }
      const seen = new Set<string>();
      for (const file of step.files) {
        if (seen.has(file.path))
          ctx.addIssue({
            code: "custom",
            path: ["steps", index, "files"],
            message: `${file.path} is listed twice`,
          });
        seen.add(file.path);
      }
    });
  });

export type Plan = z.output<typeof planSchema>;
export type PlanStep = Plan["steps"][number];
export type PlanFile = PlanStep["files"][number];
export type FileAction = PlanFile["action"];

/** The JSON schema a plan model is asked to answer with. */
export function planJsonSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(planSchema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return schema;
}

/** Every file the plan names, in first-mention order: what `--plan ID` selects. */
export function planFiles(plan: Plan): string[] {
  return [...new Set(plan.steps.flatMap((step) => step.files.map((f) => f.path)))];
}

/** The steps a step waits for: its `dependsOn`, or by default the one before it. */
export function stepDependencies(plan: Plan, index: number): string[] {
  const step = plan.steps[index];
  if (!step) return [];
  return step.dependsOn ?? (index > 0 ? [plan.steps[index - 1]!.id] : []);
}
