import { environmentError } from "../errors.ts";
import type { Git } from "./exec.ts";

/** `merge-tree --write-tree` (the merge pre-check) arrived in git 2.38. */
export const minimumGitVersion = [2, 38, 0] as const;

export type Version = readonly [number, number, number];

/** Parses "git version 2.39.5", "git version 2.39.3 (Apple Git-145)", "2.45.1.windows.1". */
export function parseGitVersion(output: string): Version | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export const formatVersion = (v: Version) => v.join(".");

/** Resolves to the git version; throws an environment error when it is too old. */
export async function checkGitVersion(git: Git): Promise<Version> {
  const output = await git.text(["version"]);
  const version = parseGitVersion(output);
  if (!version) throw environmentError(`cannot read the git version from "${output}"`);
  if (compareVersions(version, minimumGitVersion) < 0) {
    throw environmentError(
      `git ${formatVersion(version)} is too old: git spe needs git ${formatVersion(minimumGitVersion)} or newer (for merge-tree --write-tree)`,
      { hint: "Upgrade git, then run git spe doctor." },
    );
  }
  return version;
}
