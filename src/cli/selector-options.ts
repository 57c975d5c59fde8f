import { hasSelector, type SelectorOptions } from "../context/select.ts";
import { parseSelection } from "../plugins/selection.ts";
import type { OptionSpec, ParsedArgs } from "./spec.ts";

/** Context selectors shared by `context`, `spec` and `plan` (a union; default --all). */
export const selectorOptions: readonly OptionSpec[] = [
  { name: "all", kind: "boolean", description: "all tracked files (git ls-files)" },
  { name: "staged", kind: "boolean", description: "files staged in the index (index vs HEAD)" },
  {
    name: "modified",
    kind: "boolean",
    description: "tracked files changed in the work tree (vs the index)",
  },
  { name: "untracked", kind: "boolean", description: "untracked files that are not ignored" },
  {
    name: "branch",
    kind: "string",
    optionalValue: true,
    value: "BASE",
    description:
      "files changed since the merge-base with BASE (default: upstream, origin/HEAD, main, master)",
  },
  {
    name: "grep",
    kind: "string",
    multiple: true,
    value: "PATTERN",
    description: "files matching git grep PATTERN",
  },
  { name: "plan", kind: "string", value: "ID", description: "files named in a plan" },
  {
    name: "stdin",
    kind: "boolean",
    description: "paths read from stdin (newline or NUL separated)",
  },
  {
    name: "select",
    kind: "string",
    multiple: true,
    value: "NAME[=ARG]",
    description: "files a plugin's selector NAME picks (ARG is passed to it)",
  },
];

/** The selector flags of a parsed command line; undefined when none was given. */
export function selectorsFromArgs(args: ParsedArgs): SelectorOptions | undefined {
  const v = args.values;
  const selectors: SelectorOptions = {
    all: v.all === true,
    staged: v.staged === true,
    modified: v.modified === true,
    untracked: v.untracked === true,
    ...(typeof v.branch === "string" ? { branch: v.branch } : {}),
    grep: Array.isArray(v.grep) ? v.grep : [],
    select: Array.isArray(v.select) ? v.select.map(parseSelection) : [],
  };
  return hasSelector(selectors) ? selectors : undefined;
}
