/**
 * Environment handling for git subprocesses.
 *
 * Inside a hook (or `git --git-dir … spe`), git hands us GIT_DIR, GIT_INDEX_FILE, GIT_WORK_TREE
 * and friends, sometimes as paths relative to the hook's cwd. We honour them for the caller's
 * repository but make them absolute, so running git from another directory still means the same
 * repository. Before touching *another* worktree they must go, or git would operate on the
 * caller's index (`git commit -a` in a hook would see an empty index: simple-git's old bug).
 */
import path from "node:path";

/** Variables that pin git to one repository, worktree or index. */
export const repositoryLocalGitVars = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_PREFIX",
  "GIT_NAMESPACE",
] as const;

const pathVars = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
];

/** A copy of `env` with git's path variables made absolute against `cwd`. */
export function normalizeGitEnv(env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of pathVars) {
    const value = out[name];
    if (value !== undefined && value !== "" && !path.isAbsolute(value)) {
      out[name] = path.resolve(cwd, value);
    }
  }
  return out;
}

/** A copy of `env` safe for operating on a different worktree or repository. */
export function cleanGitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of repositoryLocalGitVars) delete out[name];
  return out;
}
