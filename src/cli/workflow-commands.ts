/**
 * The workflow's phase commands of the command table: spec, plan, exec and run (the rest is in
 * commands.ts). Each maps its parsed options onto the command function, loaded when it runs.
 */
import { usageError } from "../errors.ts";
import { selectorOptions, selectorsFromArgs } from "./selector-options.ts";
import { defineCommand, stringOption, type CommandSpec, type ParsedArgs } from "./spec.ts";

const fileOption = {
  name: "file",
  short: "f",
  kind: "string",
  value: "FILE",
  description: "read the request from FILE (e.g. USER-SPEC.md)",
} as const;

const mergeOption = {
  name: "merge",
  kind: "string",
  choices: ["ff", "merge", "squash", "none"],
  description: "how to merge back (default: exec.merge, ff)",
} as const;

/** `--merge` and `--max-cost`, as exec and run take them. */
function mergeAndCost(args: ParsedArgs) {
  const merge = stringOption<(typeof mergeOption.choices)[number]>(args, "merge");
  const maxCost = args.values["max-cost"];
  return {
    ...(merge !== undefined ? { merge } : {}),
    ...(typeof maxCost === "number" ? { maxCost } : {}),
  };
}

/** `--parallel N`: a whole number from 1 to 16. */
function parallelOption(args: ParsedArgs): { parallel?: number } {
  const n = args.values.parallel;
  if (n === undefined) return {};
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 16)
    throw usageError(`--parallel takes a whole number from 1 to 16, not ${String(n)}`, {
      hint: "git spe exec --parallel 3",
    });
  return { parallel: n };
}

export const workflowCommands: readonly CommandSpec[] = [
  defineCommand({
    name: "spec",
    summary: "clarify a request into AI-SPEC.md",
    options: [
      fileOption,
      { name: "id", kind: "string", value: "ID", description: "use ID instead of YYYYMMDD-slug" },
      ...selectorOptions,
    ],
    positionals: [{ name: "REQUEST", optional: true }],
    async run(ctx, args) {
      const { spec, reportSpec } = await import("../commands/spec.ts");
      const selectors = selectorsFromArgs(args);
      const result = await spec(ctx, {
        ...(args.positionals[0] !== undefined ? { request: args.positionals[0] } : {}),
        ...(stringOption(args, "file") !== undefined ? { file: stringOption(args, "file") } : {}),
        ...(stringOption(args, "id") !== undefined ? { id: stringOption(args, "id") } : {}),
        ...(selectors ? { selectors } : {}),
      });
      reportSpec(ctx, result);
    },
  }),
  defineCommand({
    name: "plan",
    summary: "turn AI-SPEC.md into a step-by-step AI-PLAN.md",
    options: [
      {
        name: "edit",
        kind: "boolean",
        description: "open the plan in $VISUAL/$EDITOR and re-validate it",
      },
      ...selectorOptions,
    ],
    positionals: [{ name: "ID", optional: true }],
    async run(ctx, args) {
      const { plan, reportPlan } = await import("../commands/plan.ts");
      const selectors = selectorsFromArgs(args);
      const result = await plan(ctx, {
        ...(args.positionals[0] !== undefined ? { id: args.positionals[0] } : {}),
        edit: args.values.edit === true,
        ...(selectors ? { selectors } : {}),
      });
      reportPlan(ctx, result);
    },
  }),
  defineCommand({
    name: "exec",
    summary: "run the plan step by step in a scratch worktree, validate, merge back",
    options: [
      mergeOption,
      { name: "resume", kind: "boolean", description: "continue from the first unvalidated step" },
      {
        name: "keep-worktree",
        kind: "boolean",
        description: "keep the scratch worktree after success",
      },
      { name: "dry-run", kind: "boolean", description: "print what would run; change nothing" },
      {
        name: "force",
        kind: "boolean",
        description: "run a stale plan (a cited file changed since it was made)",
      },
      {
        name: "max-cost",
        kind: "number",
        value: "USD",
        description: "stop cleanly once the run has cost this much",
      },
      {
        name: "accept-validation-changes",
        kind: "boolean",
        description: "with --resume: merge although the run changed what validates it",
      },
      {
        name: "parallel",
        kind: "number",
        value: "N",
        description: "run up to N independent steps at once (default: exec.parallel, 1)",
      },
    ],
    positionals: [{ name: "ID", optional: true }],
    async run(ctx, args) {
      const { exec } = await import("../commands/exec.ts");
      const v = args.values;
      const result = await exec(ctx, {
        ...(args.positionals[0] !== undefined ? { id: args.positionals[0] } : {}),
        ...mergeAndCost(args),
        resume: v.resume === true,
        keepWorktree: v["keep-worktree"] === true,
        dryRun: v["dry-run"] === true,
        force: v.force === true,
        acceptValidationChanges: v["accept-validation-changes"] === true,
        ...parallelOption(args),
      });
      ctx.log.json(result);
    },
  }),
  defineCommand({
    name: "run",
    summary: "spec + plan + review + exec in one go",
    options: [
      fileOption,
      mergeOption,
      {
        name: "max-cost",
        kind: "number",
        value: "USD",
        description: "stop the execution cleanly once it has cost this much",
      },
    ],
    positionals: [{ name: "REQUEST", optional: true }],
    async run(ctx, args) {
      const { run } = await import("../commands/run.ts");
      const result = await run(ctx, {
        ...(args.positionals[0] !== undefined ? { request: args.positionals[0] } : {}),
        ...(stringOption(args, "file") !== undefined ? { file: stringOption(args, "file") } : {}),
        ...mergeAndCost(args),
      });
      ctx.log.json(result);
    },
  }),
];
