/**
 * Validation records, by tree id, in the common git dir: `spe/validated/<tree>.json`. Whatever
 * validated a tree (a step, a whole run, git spe validate) records it here; the pre-push gate
 * asks whether the exact tree of a commit it pushes has a passing record.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { CommandRun } from "./execute/run-state.ts";

export interface TreeValidation {
  tree: string;
  passed: boolean;
  commands: string[];
  at: string;
  /** What validated it: "exec <spec> <run> S2", "validate <rev>", … */
  by: string;
  runs: CommandRun[];
  /** Test counts were read from the runs (where their output has a summary). */
  counted?: boolean;
}

const file = (commonDir: string, tree: string) =>
  path.join(commonDir, "spe", "validated", `${tree}.json`);

export async function recordTreeValidation(
  commonDir: string,
  record: TreeValidation,
): Promise<void> {
  if (!/^[0-9a-f]{40,64}$/.test(record.tree)) return;
  const target = file(commonDir, record.tree);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
  await fs.rename(temp, target);
}

export async function readTreeValidation(
  commonDir: string,
  tree: string,
): Promise<TreeValidation | undefined> {
  if (!/^[0-9a-f]{40,64}$/.test(tree)) return undefined;
  try {
    return JSON.parse(await fs.readFile(file(commonDir, tree), "utf8")) as TreeValidation;
  } catch {
    return undefined;
  }
}
