/**
 * Validation changes: a step's changes to what decides "done", classified. A test that
 * existed at the run's base deleted, renamed, skipped (a skip/only/xfail marker added) or
 * losing test cases; a validator's script, a runner config, git spe's config, CI config or a
 * protected path changed. Pure: the caller reads the two versions of each file from git.
 */
import { displayPath } from "../context/tree.ts";
import { describeRunnerChange, packageJsonChanges, relevantText } from "./config-changes.ts";
import { roleOf, type ProtectionRules } from "./roles.ts";
import { addedMarkers, countTestCases } from "./test-markers.ts";

export type ValidationChangeKind =
  | "test deleted"
  | "test renamed"
  | "test skipped"
  | "test cases removed"
  | "validator script changed"
  | "runner config changed"
  | "spe config changed"
  | "ci config changed"
  | "protected file changed"
  | "fewer tests ran";

export interface ValidationChange {
  /** The step that made it (absent for the run's test counts). */
  step?: string;
  /** The file; absent for "fewer tests ran". */
  path?: string;
  /** The validator, for "fewer tests ran". */
  command?: string;
  kind: ValidationChangeKind;
  detail: string;
  /** The plan's reason, when the step declared this file with one: then it does not hold the merge. */
  declared?: string;
}

export interface ChangedFile {
  /** git's status letter: A, M, D, R, T, … */
  status: string;
  path: string;
  /** A rename's source. */
  oldPath?: string;
  /** The text before the step (of `oldPath` for a rename); undefined when absent. */
  before?: string;
  /** The text after the step; undefined when deleted. */
  after?: string;
  /** The file (a rename's source) existed at the run's base. */
  atBase: boolean;
}

function lifecycle(file: ChangedFile): string {
  if (file.status === "A") return "added";
  if (file.status === "D") return "deleted";
  if (file.status === "R") return `renamed to ${file.path}`;
  return "changed";
}

function testChanges(file: ChangedFile): Omit<ValidationChange, "path">[] {
  if (!file.atBase) return [];
  if (file.status === "D") return [{ kind: "test deleted", detail: "" }];
  const out: Omit<ValidationChange, "path">[] = [];
  if (file.status === "R") out.push({ kind: "test renamed", detail: `to ${file.path}` });
  const before = file.before ?? "";
  const after = file.after ?? "";
  const markers = addedMarkers(file.path, before, after);
  if (markers.length > 0) out.push({ kind: "test skipped", detail: `${markers.join(", ")} added` });
  const [was, now] = [countTestCases(before), countTestCases(after)];
  if (now < was) out.push({ kind: "test cases removed", detail: `${was} → ${now} test cases` });
  return out;
}

function changesOf(file: ChangedFile, rules: ProtectionRules): Omit<ValidationChange, "path">[] {
  const role = roleOf(file.oldPath ?? file.path, rules) ?? roleOf(file.path, rules);
  switch (role) {
    case undefined:
      return [];
    case "test":
      return testChanges(file);
    case "spe-config":
      return [{ kind: "spe config changed", detail: lifecycle(file) }];
    case "package-json":
      return packageJsonChanges(file.before, file.after, rules.commands);
    case "validator-script":
      return [{ kind: "validator script changed", detail: lifecycle(file) }];
    case "ci-config":
      return [{ kind: "ci config changed", detail: lifecycle(file) }];
    case "protected":
      return [{ kind: "protected file changed", detail: lifecycle(file) }];
    case "runner-config": {
      const before = relevantText(file.oldPath ?? file.path, file.before);
      const after = relevantText(file.path, file.after);
      if (file.status === "M" && before === after) return [];
      const detail =
        file.status === "M" || file.status === "T"
          ? describeRunnerChange(before, after)
          : lifecycle(file);
      return [{ kind: "runner config changed", detail }];
    }
  }
}

/** The validation changes among a step's changed files. */
export function classifyChanges(
  files: readonly ChangedFile[],
  rules: ProtectionRules,
): ValidationChange[] {
  return files.flatMap((file) =>
    changesOf(file, rules).map((change) => ({ path: file.oldPath ?? file.path, ...change })),
  );
}

/** One line per change: `S2 test/a.test.ts: test skipped (.skip added)`. */
export function describeChange(change: ValidationChange): string {
  // A path or command can hold a newline or an escape sequence: one change, one line.
  const where = displayPath(change.path ?? change.command ?? "");
  const step = change.step ? `${change.step} ` : "";
  const detail = change.detail === "" ? "" : ` (${change.detail})`;
  const declared = change.declared !== undefined ? ` — declared: ${change.declared}` : "";
  return `${step}${where}: ${change.kind}${detail}${declared}`;
}
