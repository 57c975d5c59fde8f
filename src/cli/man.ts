/**
 * The man page `git help spe` shows (git-spe(1)), generated from the same command table as
 * `-h` by the build, so the two cannot drift apart. Pure: roff text out.
 */
import { globalOptions } from "./global-options.ts";
import { optionValueLabel, wrappedSynopsis } from "./help.ts";
import type { CommandSpec, OptionSpec } from "./spec.ts";

/** Escapes text for roff: backslashes, hyphens (so they stay ASCII minus), leading dots. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, "\\e")
    .replace(/-/g, "\\-")
    .split("\n")
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join("\n");
}

const bold = (s: string) => `\\fB${roff(s)}\\fR`;

function optionItem(option: OptionSpec): string[] {
  const names = `${option.short ? `-${option.short}, ` : ""}--${option.name}`;
  const value = optionValueLabel(option).trim();
  return [
    ".TP",
    `${bold(names)}${value ? ` \\fI${roff(value)}\\fR` : ""}`,
    roff(option.description),
  ];
}

function commandSection(command: CommandSpec): string[] {
  const lines = [
    ".SS " + roff(`git spe ${command.name}`),
    ".nf",
    roff(wrappedSynopsis(command, 72, "    ").join("\n")),
    ".fi",
    ".PP",
    roff(command.summary),
  ];
  if (command.description) {
    for (const paragraph of command.description.split(/\n\s*\n/))
      lines.push(".PP", roff(paragraph.trim()));
  }
  if (command.options.length > 0) {
    lines.push(".RS");
    for (const option of command.options) lines.push(...optionItem(option));
    lines.push(".RE");
  }
  return lines;
}

const paragraphs = (...texts: string[]) => texts.flatMap((t) => [".PP", roff(t)]);

const items = (entries: [string, string][]) =>
  entries.flatMap(([term, text]) => [".TP", bold(term), roff(text)]);

export function renderManPage(commands: readonly CommandSpec[], version: string): string {
  const lines = [
    `.TH GIT\\-SPE 1 "" "git-spe ${roff(version)}" "Git Manual"`,
    ".SH NAME",
    "git\\-spe \\- turn a request into a reviewed spec, a plan and validated commits",
    ".SH SYNOPSIS",
    ".nf",
    roff("git spe [--json] [--quiet] [--debug] [--yes] <command> [<args>]"),
    ".fi",
    ".SH DESCRIPTION",
    ...paragraphs(
      "git spe works in three phases. spec: a large-context model (Gemini by default) clarifies the request into AI-SPEC.md from context packed out of git state. plan: it turns the spec into AI-PLAN.md, a list of steps naming the files each touches. exec: an execution model (Claude by default, or an agent CLI such as claude -p) carries out each step in a scratch git worktree on a branch spe/<id>; every step is validated by the project's validators and committed with Spe-Spec, Spe-Step and Spe-Run trailers, and the result is merged back into your branch only once validated.",
      "Your branch, index, working tree and stashes are never touched except by that final, validated merge, which is checked first with git merge-tree and leaves a backup ref (refs/spe/backup/<run>). Failed attempts are kept under refs/spe/attempts/. An interrupted run continues with git spe exec --resume or is removed with git spe abort.",
      "Ids (YYYYMMDD-slug) are accepted by any unique prefix.",
    ),
    ".SH COMMANDS",
    ...commands.flatMap(commandSection),
    ".SH GLOBAL OPTIONS",
    ...globalOptions.flatMap(optionItem),
    ".SH EXIT STATUS",
    ...items([
      ["0", "success"],
      ["1", "the work failed (a model error, a validation that kept failing, a refused push)"],
      ["2", "usage or configuration error"],
      ["3", "environment error: not a repository, git too old, a missing API key or agent CLI"],
      ["130", "interrupted"],
    ]),
    ".SH ENVIRONMENT",
    ...items([
      [
        "ANTHROPIC_API_KEY, GEMINI_API_KEY (or GOOGLE_API_KEY), OPENAI_API_KEY",
        "API keys; never read from the config, never written anywhere.",
      ],
      [
        "ANTHROPIC_BASE_URL, GOOGLE_GEMINI_BASE_URL, OPENAI_BASE_URL",
        "base URLs of the model APIs (e.g. a local OpenAI-compatible server).",
      ],
      ["SPE=0", "the installed hooks do nothing (one push without the gate: SPE=0 git push)."],
      ["SPE_DEBUG=1", "the installed hook scripts trace themselves."],
      ["NO_COLOR", "no colour in the output."],
      ["CI", "implies --yes."],
    ]),
    ".SH FILES",
    ...items([
      [
        ".spe.config.ts",
        "the configuration (also .spe.config.mjs, .spe.config.js, .spe.config.json, .sperc.json, or a spe key in package.json); checked by git spe doctor.",
      ],
      [".speignore", "files never packed into model context (gitignore syntax)."],
      [".worktreeinclude", "untracked files copied into the scratch worktree (gitignore syntax)."],
      [".spe/<id>/", "specs, plans and run records with store: dir."],
      ["refs/notes/spe", "the same with store: notes; shared by git spe notes push and pull."],
      [
        "$GIT_COMMON_DIR/spe/",
        "scratch worktrees, run state, locks, validation records and caches.",
      ],
    ]),
    ".SH SEE ALSO",
    "\\fBgit-worktree\\fR(1), \\fBgit-notes\\fR(1), \\fBgit-merge-tree\\fR(1), \\fBgithooks\\fR(5)",
    "",
  ];
  return lines.join("\n");
}
