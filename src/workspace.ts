/**
 * Opening the repository a command runs in: git version check, discovery (honouring a hook's
 * GIT_DIR/GIT_INDEX_FILE, made absolute), a `Git` rooted at the work tree, and the config.
 */
import { loadConfig, type LoadedConfig } from "./config/load.ts";
import type { Logger } from "./log.ts";
import { normalizeGitEnv } from "./git/env.ts";
import { createGit, withGitConfig, type Git } from "./git/exec.ts";
import { isInside } from "./sandbox/policy.ts";
import { discoverRepo, type RepoPaths } from "./git/repo.ts";
import { checkGitVersion, type Version } from "./git/version.ts";

export interface RepositoryRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** When given, every git call is traced at debug level. */
  log?: Pick<Logger, "debug">;
}

export interface Repository {
  /** Runs git at the work tree root, with the caller's GIT_* environment. */
  git: Git;
  paths: RepoPaths;
  gitVersion: Version;
}

export type Workspace = Repository & LoadedConfig;

export async function openRepository(request: RepositoryRequest): Promise<Repository> {
  const env = normalizeGitEnv(request.env, request.cwd);
  const trace = request.log ? (line: string) => request.log?.debug(line) : undefined;
  const here = createGit({ cwd: request.cwd, env, signal: request.signal, trace });
  // Side by side (a git start each); a too-old git is the error to report, before discovery's.
  const [version, discovered] = await Promise.allSettled([
    checkGitVersion(here),
    discoverRepo(here),
  ]);
  if (version.status === "rejected") throw version.reason;
  if (discovered.status === "rejected") throw discovered.reason;
  const paths = discovered.value;
  // Hooks kept in the work tree (core.hooksPath=.husky/_) are files a run merges, which the
  // model may have written: git spe's own git calls run no hooks then. Hooks in the git dir are
  // the user's own (the sandbox cannot write there) and run as usual.
  const inTreeHooks =
    isInside(paths.hooksDir, paths.toplevel) && !isInside(paths.hooksDir, paths.commonDir);
  const git = inTreeHooks
    ? createGit({
        cwd: paths.toplevel,
        env: withGitConfig(env, [["core.hooksPath", "/dev/null"]]),
        signal: request.signal,
        trace,
      })
    : here.at(paths.toplevel);
  return { git, paths, gitVersion: version.value };
}

export async function openWorkspace(request: RepositoryRequest): Promise<Workspace> {
  const repository = await openRepository(request);
  return { ...repository, ...(await loadConfig(repository.paths.toplevel)) };
}
