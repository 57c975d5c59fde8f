/**
 * The declarative shape of the CLI. Parsing, `--help` and the man page are all generated from
 * these definitions so they cannot drift apart.
 */
import type { CommandContext } from "../commands/command-context.ts";

export type OptionKind = "boolean" | "string" | "integer" | "number";

export interface OptionSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  kind: OptionKind;
  description: string;
  /** Placeholder for the value in help ("FILE"); the choices are shown when given. */
  value?: string;
  choices?: readonly string[];
  multiple?: boolean;
  /**
   * The value may be omitted (`--branch` alone): the next argument is taken as the value only
   * when it does not start with "-"; `--branch=BASE` is always unambiguous.
   */
  optionalValue?: boolean;
}

export interface PositionalSpec {
  name: string;
  optional?: boolean;
  variadic?: boolean;
  /** Allowed words for a positional such as `notes push|pull`. */
  choices?: readonly string[];
}

export type OptionValue = string | boolean | number | string[] | undefined;

export interface ParsedArgs {
  values: Record<string, OptionValue>;
  positionals: string[];
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** A paragraph or two for `-h` and the man page. */
  description?: string;
  options: readonly OptionSpec[];
  positionals: readonly PositionalSpec[];
  /** Resolves to the exit code (0 when nothing is returned). */
  run(ctx: CommandContext, args: ParsedArgs): Promise<number | void>;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** A string option's value, or undefined when it was not given. */
export function stringOption<T extends string>(args: ParsedArgs, name: string): T | undefined {
  const value = args.values[name];
  return typeof value === "string" ? (value as T) : undefined;
}
