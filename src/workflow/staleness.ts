/**
 * A plan is stale when a file it cites has changed since the plan was made: its blob at the
 * current commit differs from the one recorded, or a file recorded as absent now exists.
 */
import type { Git } from "../git/exec.ts";
import { listTreeBlobs } from "../git/files.ts";
import { absentBlob, type PlanMeta } from "../plan/document.ts";

export interface StaleFile {
  path: string;
  was: string;
  now: string;
}

export async function findStaleFiles(git: Git, meta: PlanMeta, rev = "HEAD"): Promise<StaleFile[]> {
  const paths = Object.keys(meta.cited);
  const current = await listTreeBlobs(git, rev, paths);
  return paths.flatMap((path) => {
    const was = meta.cited[path] ?? absentBlob;
    const now = current.get(path) ?? absentBlob;
    return was === now ? [] : [{ path, was, now }];
  });
}

export function describeStale(stale: readonly StaleFile[]): string[] {
  return stale.map((s) =>
    s.was === absentBlob
      ? `${s.path}: created since the plan`
      : s.now === absentBlob
        ? `${s.path}: deleted since the plan`
        : `${s.path}: changed since the plan`,
  );
}
