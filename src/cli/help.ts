/** `-h` text for the program and each subcommand, generated from the command table. Pure. */
import { globalOptions } from "./global-options.ts";
import type { CommandSpec, OptionSpec, PositionalSpec } from "./spec.ts";

export function optionValueLabel(option: OptionSpec): string {
  if (option.kind === "boolean") return "";
  const value = option.choices ? option.choices.join("|") : (option.value ?? "VALUE");
  return option.optionalValue ? ` [${value}]` : ` ${value}`;
}

export function optionSynopsis(option: OptionSpec): string {
  return `[--${option.name}${optionValueLabel(option)}]`;
}

export function positionalSynopsis(positional: PositionalSpec): string {
  const word = positional.choices ? positional.choices.join("|") : positional.name;
  const body = positional.variadic ? `${word}...` : word;
  return positional.optional || positional.variadic ? `[${body}]` : body;
}

function synopsisParts(command: CommandSpec): string[] {
  return [
    "git spe",
    command.name,
    ...command.positionals.map(positionalSynopsis),
    ...command.options.map(optionSynopsis),
  ];
}

export function commandSynopsis(command: CommandSpec): string {
  return synopsisParts(command).join(" ");
}

function wrap(words: string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

export function optionLabel(option: OptionSpec): string {
  const short = option.short ? `-${option.short}, ` : "    ";
  return `${short}--${option.name}${optionValueLabel(option)}`;
}

function optionTable(options: readonly OptionSpec[]): string[] {
  const labels = options.map(optionLabel);
  const width = Math.min(32, Math.max(...labels.map((l) => l.length)));
  return options.map((option, i) => {
    const label = labels[i] ?? "";
    const pad =
      label.length > width ? `\n${" ".repeat(width + 4)}` : " ".repeat(width - label.length);
    return `  ${label}${pad}  ${option.description}`;
  });
}

/** The synopsis wrapped at `width`, continuation lines indented by `indent`. */
export function wrappedSynopsis(command: CommandSpec, width: number, indent: string): string[] {
  return wrap(synopsisParts(command), width, indent);
}

export function renderCommandHelp(command: CommandSpec): string {
  const lines = wrappedSynopsis(command, 100, "        ");
  lines[0] = `usage: ${lines[0] ?? ""}`;
  lines.push("", command.summary);
  if (command.description) lines.push("", command.description);
  if (command.options.length > 0) lines.push("", "options:", ...optionTable(command.options));
  lines.push("", "global options:", ...optionTable(globalOptions));
  return `${lines.join("\n")}\n`;
}

export function renderMainHelp(commands: readonly CommandSpec[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: git spe [--json] [--quiet] [--debug] [--yes] <command> [<args>]",
    "",
    `git spe ${version}: Spec → Plan → Execute. Turns a request into a reviewed spec, a step-by-step`,
    "plan, and validated commits made in a scratch worktree and merged back only after validation.",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "global options:",
    ...optionTable(globalOptions),
    "",
    "Run 'git spe <command> -h' for a command's options.",
    "Exit codes: 0 ok, 1 the work failed, 2 usage or config error, 3 environment error, 130 interrupted.",
    "",
  ].join("\n");
}
