/**
 * A step's validation changes: its commit against its parent, the changed files that decide
 * "done" read from git at both sides and classified (protected/classify.ts). A change to a
 * file the step declared with a reason in the plan is marked `declared`; the others hold the
 * merge (validation-gate.ts).
 */
import { readBlobs } from "../../git/blobs.ts";
import { listCommitChanges, listTreeBlobs } from "../../git/files.ts";
import { activePlugins } from "../../plugins/environment.ts";
import {
  classifyChanges,
  type ChangedFile,
  type ValidationChange,
} from "../../protected/classify.ts";
import { roleOf, type ProtectionRules } from "../../protected/roles.ts";
import type { ExecContext } from "./context.ts";

/** The commands of `validate` this run validates with: those it started with. */
export function runValidate(c: ExecContext): readonly string[] {
  return c.state.validate ?? c.pe.ws.config.validate;
}

export function protectionRules(c: ExecContext): ProtectionRules {
  return {
    commands: [
      ...runValidate(c),
      ...(c.plan.validate ?? []),
      ...c.plan.steps.flatMap((s) => s.validate ?? []),
    ],
    protect: [
      ...c.pe.ws.config.exec.protect,
      ...activePlugins(c.pe.ws.config).flatMap(({ plugin }) => plugin.protect ?? []),
    ],
  };
}

export async function stepValidationChanges(
  c: ExecContext,
  index: number,
  commit: string,
): Promise<ValidationChange[]> {
  const step = c.plan.steps[index] as (typeof c.plan.steps)[number];
  const git = c.worktreeGit();
  const rules = protectionRules(c);
  const changed = (await listCommitChanges(git, `${commit}^`, commit)).filter(
    (ch) => roleOf(ch.oldPath ?? ch.path, rules) ?? roleOf(ch.path, rules),
  );
  if (changed.length === 0) return [];
  const oldPaths = changed.map((ch) => ch.oldPath ?? ch.path);
  const [atBase, before, after] = await Promise.all([
    listTreeBlobs(git, c.state.base, oldPaths),
    listTreeBlobs(git, `${commit}^`, oldPaths),
    listTreeBlobs(
      git,
      commit,
      changed.map((ch) => ch.path),
    ),
  ]);
  const texts = await readBlobs(git, [...before.values(), ...after.values()]);
  const text = (blobs: Map<string, string>, path: string) => {
    const oid = blobs.get(path);
    return oid === undefined ? undefined : texts.get(oid);
  };
  const files: ChangedFile[] = changed.map((ch) => {
    const old = ch.oldPath ?? ch.path;
    const file: ChangedFile = { status: ch.status, path: ch.path, atBase: atBase.has(old) };
    if (ch.oldPath !== undefined) file.oldPath = ch.oldPath;
    const was = text(before, old);
    const now = ch.status === "D" ? undefined : text(after, ch.path);
    if (was !== undefined) file.before = was;
    if (now !== undefined) file.after = now;
    return file;
  });
  const renamedTo = new Map(changed.map((ch) => [ch.oldPath ?? ch.path, ch.path]));
  return classifyChanges(files, rules).map((change) => {
    const paths = [change.path, renamedTo.get(change.path ?? "")];
    const reason = step.files.find((f) => paths.includes(f.path) && f.reason)?.reason;
    return { step: step.id, ...change, ...(reason !== undefined ? { declared: reason } : {}) };
  });
}
