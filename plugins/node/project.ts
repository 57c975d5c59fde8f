/** Reading a Node project at a directory: package.json and which lockfiles are there. */
import fs from "node:fs/promises";
import path from "node:path";
import { exists } from "../shared.ts";
import { choosePackageManager, lockfiles, type PackageManager } from "./package-manager.ts";

export interface NodeProject {
  scripts: Record<string, string>;
  packageManager: PackageManager;
  /** Whether package.json declares any dependencies (of any kind, or workspaces) to install. */
  hasDependencies: boolean;
}

const dependencyFields = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
] as const;

/** undefined when `dir` has no package.json; a malformed one is an error saying so. */
export async function readNodeProject(dir: string): Promise<NodeProject | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, "package.json"), "utf8");
  } catch {
    return undefined;
  }
  let pkg: { scripts?: unknown; packageManager?: unknown } & Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch (error) {
    throw new Error(`package.json is not valid JSON: ${(error as Error).message}`);
  }
  const present: string[] = [];
  for (const { lockfile } of lockfiles)
    if (await exists(path.join(dir, lockfile))) present.push(lockfile);
  const scripts =
    typeof pkg.scripts === "object" && pkg.scripts !== null
      ? Object.fromEntries(
          Object.entries(pkg.scripts).filter(
            (e): e is [string, string] => typeof e[1] === "string",
          ),
        )
      : {};
  const hasDependencies = [...dependencyFields, "workspaces"].some((field) => {
    const value = pkg[field];
    return typeof value === "object" && value !== null && Object.keys(value).length > 0;
  });
  return {
    scripts,
    packageManager: choosePackageManager(present, pkg.packageManager),
    hasDependencies,
  };
}
