/**
 * argv → (command, global flags, typed option values, positionals), with node:util parseArgs in
 * strict mode. Global flags may come before or after the subcommand. Every mistake is a usage
 * error (exit 2) that names the option and where to look.
 */
import { parseArgs } from "node:util";
import { usageError } from "../errors.ts";
import { globalOptions, type GlobalFlags } from "./global-options.ts";
import type { CommandSpec, OptionSpec, OptionValue, ParsedArgs } from "./spec.ts";
import { suggest } from "./suggest.ts";

export interface ParsedCommandLine {
  command: CommandSpec | undefined;
  globals: GlobalFlags;
  args: ParsedArgs;
}

type ParseArgsOptions = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean }
>;

function toParseArgsOptions(options: readonly OptionSpec[]): ParseArgsOptions {
  const out: ParseArgsOptions = {};
  for (const option of options) {
    out[option.name] = {
      type: option.kind === "boolean" ? "boolean" : "string",
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

/** parseArgs' messages are long and suggest quoting tricks; keep the fact, say it plainly. */
function rewriteParseError(error: unknown, where: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return usageError(`unknown option ${option ?? message} for ${where}`, {
      hint: `See: ${where} -h`,
    });
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const takesNoValue = /does not take an argument/.test(message);
    return usageError(
      takesNoValue
        ? `option ${option} takes no value (${where})`
        : `option ${option} needs a value (${where})`,
      { hint: `See: ${where} -h` },
    );
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return usageError(`unexpected argument for ${where}: ${message}`, { hint: `See: ${where} -h` });
  }
  return usageError(`${where}: ${message}`);
}

/** `--branch` alone means "no value": rewrite it to `--branch=` unless a value follows. */
function expandOptionalValues(argv: readonly string[], options: readonly OptionSpec[]): string[] {
  const optional = new Set(options.filter((o) => o.optionalValue).map((o) => `--${o.name}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? "";
    if (token === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (optional.has(token) && (next === undefined || next.startsWith("-"))) out.push(`${token}=`);
    else out.push(token);
  }
  return out;
}

function convert(option: OptionSpec, raw: string, where: string): OptionValue {
  const flag = `--${option.name}`;
  if (option.choices && !option.choices.includes(raw)) {
    throw usageError(
      `${flag} must be one of ${option.choices.join(", ")}, not "${raw}" (${where})`,
    );
  }
  if (option.kind === "integer") {
    if (!/^\d[\d_]*$/.test(raw))
      throw usageError(`${flag} needs a whole number, not "${raw}" (${where})`);
    return Number(raw.replaceAll("_", ""));
  }
  if (option.kind === "number") {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < 0) {
      throw usageError(`${flag} needs a non-negative number, not "${raw}" (${where})`);
    }
    return value;
  }
  return raw;
}

function parseWith(
  argv: readonly string[],
  options: readonly OptionSpec[],
  where: string,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({
      args: [...argv],
      options: toParseArgsOptions(options),
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    throw rewriteParseError(error, where);
  }
}

function readGlobals(values: Record<string, unknown>): GlobalFlags {
  const flag = (name: string) => values[name] === true;
  return {
    json: flag("json"),
    quiet: flag("quiet"),
    debug: flag("debug"),
    yes: flag("yes"),
    help: flag("help"),
    version: flag("version"),
  };
}

export function parseCommandLine(
  argv: readonly string[],
  commands: readonly CommandSpec[],
): ParsedCommandLine {
  const commandIndex = argv.findIndex((token) => !token.startsWith("-") || token === "--");
  const leading = commandIndex === -1 ? argv : argv.slice(0, commandIndex);
  const pre = parseWith(leading, globalOptions, "git spe", false);
  const name = commandIndex === -1 || argv[commandIndex] === "--" ? undefined : argv[commandIndex];
  if (name === undefined) {
    return {
      command: undefined,
      globals: readGlobals(pre.values),
      args: { values: {}, positionals: [] },
    };
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const guess = suggest(
      name,
      commands.map((c) => c.name),
    );
    throw usageError(`'${name}' is not a git spe command`, {
      hint: guess ? `Did you mean: git spe ${guess}` : "See: git spe --help",
    });
  }
  const where = `git spe ${command.name}`;
  const all = [...globalOptions, ...command.options];
  const parsed = parseWith(
    expandOptionalValues(argv.slice(commandIndex + 1), command.options),
    all,
    where,
    true,
  );
  const globals = readGlobals({ ...pre.values, ...parsed.values });

  const values: Record<string, OptionValue> = {};
  for (const option of command.options) {
    const raw = parsed.values[option.name];
    if (raw === undefined || typeof raw === "boolean") values[option.name] = raw;
    else if (Array.isArray(raw))
      values[option.name] = raw.map((r) => String(convert(option, String(r), where)));
    else values[option.name] = convert(option, raw, where);
  }
  if (!globals.help) checkPositionals(command, parsed.positionals, where);
  return { command, globals, args: { values, positionals: parsed.positionals } };
}

function checkPositionals(
  command: CommandSpec,
  positionals: readonly string[],
  where: string,
): void {
  const specs = command.positionals;
  const variadic = specs.some((p) => p.variadic);
  if (!variadic && positionals.length > specs.length) {
    throw usageError(
      `too many arguments for ${where}: ${positionals.slice(specs.length).join(" ")}`,
      {
        hint: `See: ${where} -h`,
      },
    );
  }
  specs.forEach((spec, i) => {
    const value = positionals[i];
    if (value === undefined) {
      if (!spec.optional && !spec.variadic)
        throw usageError(`${where} needs ${spec.name}`, { hint: `See: ${where} -h` });
      return;
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw usageError(
        `${where}: ${spec.name} must be one of ${spec.choices.join(", ")}, not "${value}"`,
      );
    }
  });
}
