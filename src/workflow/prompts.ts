/**
 * Prompts are reviewed text files in `prompts/` at the package root, not string literals in
 * code. `{{name}}` placeholders are filled from `vars`; a missing or unused value is a bug.
 */
import fs from "node:fs";
import path from "node:path";
import { findSelfEntry } from "../config/self-entry.ts";
import { InternalError } from "../errors.ts";

export type PromptName =
  | "spec-system"
  | "spec-request"
  | "plan-system"
  | "plan-request"
  | "repair"
  | "exec-system"
  | "exec-step"
  | "exec-repair";

export function promptsDir(): string {
  // dist/index.js or src/index.ts → the package root.
  return path.join(path.dirname(path.dirname(findSelfEntry())), "prompts");
}

export function loadPrompt(name: PromptName, vars: Record<string, string> = {}): string {
  const template = fs.readFileSync(path.join(promptsDir(), `${name}.md`), "utf8");
  const used = new Set<string>();
  const text = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new InternalError(`prompt ${name} needs {{${key}}}`);
    used.add(key);
    return value;
  });
  const unused = Object.keys(vars).filter((key) => !used.has(key));
  if (unused.length > 0)
    throw new InternalError(`prompt ${name} has no place for ${unused.join(", ")}`);
  return text.trimEnd();
}
