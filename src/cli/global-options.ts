import type { OptionSpec } from "./spec.ts";

export const globalOptions: readonly OptionSpec[] = [
  {
    name: "json",
    kind: "boolean",
    description: "machine output on stdout (human output goes to stderr)",
  },
  { name: "quiet", short: "q", kind: "boolean", description: "only warnings and errors" },
  { name: "debug", kind: "boolean", description: "trace git calls and internals on stderr" },
  {
    name: "yes",
    short: "y",
    kind: "boolean",
    description: "never prompt; implied when stdin is not a terminal or CI is set",
  },
  { name: "help", short: "h", kind: "boolean", description: "show help" },
  { name: "version", short: "V", kind: "boolean", description: "print the version" },
];

export interface GlobalFlags {
  json: boolean;
  quiet: boolean;
  debug: boolean;
  yes: boolean;
  help: boolean;
  version: boolean;
}
