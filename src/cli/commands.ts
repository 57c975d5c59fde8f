/**
 * The command table: every subcommand of the design's CLI surface, with its options, in the
 * order of `git spe --help`. The phases (spec, plan, exec, run) are in workflow-commands.ts.
 */
import type { InitOptions } from "../commands/init.ts";
import { selectorOptions, selectorsFromArgs } from "./selector-options.ts";
import { defineCommand, stringOption, type CommandSpec } from "./spec.ts";
import { workflowCommands } from "./workflow-commands.ts";

export const commands: readonly CommandSpec[] = [
  defineCommand({
    name: "init",
    summary: "set up git spe in this repository (config, .spe/, .speignore, notes settings)",
    description:
      "Writes a commented .spe.config.ts, .spe/.gitignore and .speignore at the work tree root, and sets notes.rewriteRef=refs/notes/spe with notes.rewrite.amend/rebase so spe notes follow rewritten commits. Never overwrites an existing file; running it twice changes nothing.",
    options: [
      {
        name: "store",
        kind: "string",
        choices: ["dir", "notes"],
        description: "where specs, plans and runs are stored (default: dir)",
      },
      {
        name: "hooks",
        kind: "string",
        choices: ["husky", "git", "none"],
        description: "how to install the pre-push and prepare-commit-msg hooks",
      },
      {
        name: "ci",
        kind: "string",
        choices: ["github", "gitlab"],
        description: "also write the CI job that executes pushed plans and opens pull requests",
      },
    ],
    positionals: [],
    async run(ctx, args) {
      const options: InitOptions = {
        store: stringOption(args, "store"),
        hooks: stringOption(args, "hooks"),
        ci: stringOption(args, "ci"),
      };
      const { formatInitResult, init } = await import("../commands/init.ts");
      const result = await init(ctx, options);
      ctx.log.json(result);
      ctx.log.info(formatInitResult(result, options.store).join("\n"));
    },
  }),
  defineCommand({
    name: "context",
    summary: "pack codebase context from git state for a model",
    options: [
      ...selectorOptions,
      {
        name: "format",
        kind: "string",
        choices: ["xml", "markdown", "json"],
        description: "output format (default: xml)",
      },
      {
        name: "output",
        short: "o",
        kind: "string",
        value: "FILE",
        description: "write to FILE instead of stdout",
      },
      {
        name: "budget",
        kind: "integer",
        value: "N",
        description: "fit under N tokens, dropping the lowest-ranked files",
      },
      {
        name: "compress",
        kind: "boolean",
        description: "outline source files: keep signatures and doc comments, leave bodies out",
      },
      {
        name: "map",
        kind: "boolean",
        description:
          "with --budget: every file whole, as an outline or by path, by rank (a repository map)",
      },
      { name: "remove-comments", kind: "boolean", description: "strip comments from source files" },
      { name: "remove-empty-lines", kind: "boolean", description: "strip empty lines" },
      { name: "diff", kind: "boolean", description: "append the diff of the selected change sets" },
      {
        name: "log",
        kind: "integer",
        value: "N",
        description: "append the last N commit subjects",
      },
      {
        name: "stats",
        kind: "boolean",
        description: "print file count, total tokens and the largest files",
      },
      {
        name: "no-cache",
        kind: "boolean",
        description: "read, count and scan every file again; neither use nor update the caches",
      },
    ],
    positionals: [{ name: "PATH", variadic: true }],
    async run(ctx, args) {
      // Loaded on demand: the tokenizer and scanner behind it cost ~200 ms to import.
      const { runContextCommand } = await import("../commands/context.ts");
      const v = args.values;
      await runContextCommand(ctx, {
        selectors: { ...selectorsFromArgs(args), pathspecs: args.positionals },
        plan: stringOption(args, "plan"),
        stdin: v.stdin === true,
        format: stringOption(args, "format"),
        output: stringOption(args, "output"),
        budget: typeof v.budget === "number" ? v.budget : undefined,
        compress: v.compress === true,
        map: v.map === true,
        removeComments: v["remove-comments"] === true,
        removeEmptyLines: v["remove-empty-lines"] === true,
        diff: v.diff === true,
        log: typeof v.log === "number" ? v.log : undefined,
        stats: v.stats === true,
        cache: v["no-cache"] !== true,
      });
    },
  }),
  ...workflowCommands,
  defineCommand({
    name: "status",
    summary: "list specs with their phase and state, or show one",
    options: [],
    positionals: [{ name: "ID", optional: true }],
    async run(ctx, args) {
      const { status, formatStatus } = await import("../commands/status.ts");
      const result = await status(ctx, args.positionals[0]);
      ctx.log.json(result);
      ctx.log.result(formatStatus(result).join("\n"));
    },
  }),
  defineCommand({
    name: "show",
    summary: "print a spec's artifact: spec, plan, run or drift",
    options: [
      {
        name: "format",
        kind: "string",
        choices: ["json", "markdown"],
        description: "run only: the record as JSON (default) or markdown (a PR body)",
      },
    ],
    positionals: [
      { name: "ID" },
      { name: "ARTIFACT", optional: true, choices: ["spec", "plan", "run", "drift"] },
    ],
    async run(ctx, args) {
      const { show } = await import("../commands/show.ts");
      const artifact = args.positionals[1] as "spec" | "plan" | "run" | "drift" | undefined;
      const format = stringOption(args, "format") as "json" | "markdown" | undefined;
      const result = await show(ctx, args.positionals[0] as string, artifact, format);
      ctx.log.json(result);
      ctx.log.result(result.content);
    },
  }),
  defineCommand({
    name: "validate",
    summary: "run the validators on REV (default HEAD) in a temporary worktree",
    options: [],
    positionals: [{ name: "REV", optional: true }],
    async run(ctx, args) {
      const { validate } = await import("../commands/validate.ts");
      const result = await validate(ctx, args.positionals[0]);
      ctx.log.json(result);
    },
  }),
  defineCommand({
    name: "drift",
    summary: "planned files versus the files the run touched",
    options: [],
    positionals: [{ name: "ID", optional: true }],
    async run(ctx, args) {
      const { drift } = await import("../commands/exec.ts");
      const result = await drift(ctx, args.positionals[0]);
      ctx.log.json(result);
      ctx.log.result(result.lines.join("\n"));
    },
  }),
  defineCommand({
    name: "abort",
    summary: "remove a run's worktree, lock and branch (after saying what it removes)",
    options: [],
    positionals: [{ name: "ID" }],
    async run(ctx, args) {
      const { abort } = await import("../commands/exec.ts");
      const result = await abort(ctx, args.positionals[0] as string);
      ctx.log.json(result);
      ctx.log.success(`aborted ${result.specId}`);
    },
  }),
  defineCommand({
    name: "notes",
    summary: "push or pull refs/notes/spe, merging both sides",
    options: [],
    positionals: [
      { name: "ACTION", choices: ["push", "pull"] },
      { name: "REMOTE", optional: true },
    ],
    async run(ctx, args) {
      const { notesPull, notesPush } = await import("../commands/notes.ts");
      const remote = args.positionals[1];
      const result =
        args.positionals[0] === "push"
          ? await notesPush(ctx, remote)
          : await notesPull(ctx, remote);
      ctx.log.json(result);
    },
  }),
  defineCommand({
    name: "hook",
    summary: "entry point for the installed git hooks",
    options: [],
    positionals: [{ name: "HOOK" }, { name: "ARGS", variadic: true }],
    async run(ctx, args) {
      const { hook } = await import("../commands/hook.ts");
      return hook(ctx, args.positionals[0] as string, args.positionals.slice(1));
    },
  }),
  defineCommand({
    name: "doctor",
    summary: "check git, config, keys, agent CLIs and hooks",
    options: [],
    positionals: [],
    async run(ctx) {
      const { doctor, formatDoctorReport } = await import("../commands/doctor.ts");
      const report = await doctor(ctx);
      ctx.log.json(report);
      ctx.log.result(formatDoctorReport(report).join("\n"));
      return report.exitCode;
    },
  }),
];
