/**
 * Inspection of the hooks git will actually run. Installation arrives with the hooks issue;
 * `doctor` already reports what is there.
 */
import fs from "node:fs/promises";
import path from "node:path";

export const speHookNames = ["pre-push", "prepare-commit-msg"] as const;

export type HookState = "absent" | "git-spe" | "other" | "not-executable";

export interface HookInspection {
  name: string;
  /** The file git runs (or, with husky, the user script husky runs). */
  file: string;
  state: HookState;
}

export interface HooksReport {
  dir: string;
  /** husky 9 points core.hooksPath at `.husky/_`; user hooks then live in `.husky/`. */
  manager: "git" | "husky";
  hooks: HookInspection[];
}

async function inspect(name: string, file: string, needsExec: boolean): Promise<HookInspection> {
  let content: string;
  try {
    content = await fs.readFile(file, "utf8");
  } catch {
    return { name, file, state: "absent" };
  }
  if (needsExec) {
    try {
      await fs.access(file, fs.constants.X_OK);
    } catch {
      return { name, file, state: "not-executable" };
    }
  }
  return { name, file, state: /git[- ]spe\b.*\bhook\b/.test(content) ? "git-spe" : "other" };
}

export async function inspectHooks(hooksDir: string): Promise<HooksReport> {
  const husky =
    path.basename(hooksDir) === "_" && path.basename(path.dirname(hooksDir)) === ".husky";
  const userDir = husky ? path.dirname(hooksDir) : hooksDir;
  const hooks = await Promise.all(
    // husky runs `.husky/<hook>` with sh itself, so those need no executable bit.
    speHookNames.map((name) => inspect(name, path.join(userDir, name), !husky)),
  );
  return { dir: hooksDir, manager: husky ? "husky" : "git", hooks };
}
