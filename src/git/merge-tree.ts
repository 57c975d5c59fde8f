/** `git merge-tree --write-tree`: would merging two commits conflict, without touching anything. */
import type { Git } from "./exec.ts";
import { splitNul } from "./parse-z.ts";

export type MergeCheck =
  { clean: true; tree: string } | { clean: false; tree: string; conflicts: string[] };

export async function checkMerge(git: Git, ours: string, theirs: string): Promise<MergeCheck> {
  const { stdout, exitCode } = await git.run(
    ["merge-tree", "--write-tree", "--name-only", "-z", "--end-of-options", ours, theirs],
    {
      okExitCodes: [1],
    },
  );
  const records = splitNul(stdout);
  const tree = records[0] ?? "";
  if (exitCode === 0) return { clean: true, tree };
  const conflicts: string[] = [];
  for (const record of records.slice(1)) {
    if (record === "") break;
    if (!conflicts.includes(record)) conflicts.push(record);
  }
  return { clean: false, tree, conflicts };
}
