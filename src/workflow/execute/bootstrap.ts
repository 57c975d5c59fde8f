/**
 * Making a scratch worktree runnable: files listed in `.worktreeinclude` (gitignore syntax:
 * untracked files the work needs, like `.env`) are copied from the user's work tree, then the
 * plugins' `worktree:ready` hooks provide dependencies per `exec.worktree.deps` — the
 * first-party `node` plugin (active by default) hard-links or installs `node_modules`, `python`
 * makes a venv. `git spe validate` prepares its temporary worktree the same way.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { splitNul } from "../../git/parse-z.ts";
import type { Logger } from "../../log.ts";
import { pluginEnvironment } from "../../plugins/environment.ts";
import { runHook } from "../../plugins/lifecycle.ts";
import type { Sandbox } from "../../sandbox/sandbox.ts";
import type { Workspace } from "../../workspace.ts";
import type { ExecContext } from "./context.ts";
import { guarded } from "./guarded.ts";

const exists = (file: string) =>
  fs.lstat(file).then(
    () => true,
    () => false,
  );

async function copyIncluded(ws: Workspace, worktree: string): Promise<number> {
  const { toplevel } = ws.paths;
  const include = path.join(toplevel, ".worktreeinclude");
  if (!(await exists(include))) return 0;
  const { stdout } = await ws.git.run([
    "ls-files",
    "-z",
    "--others",
    "--ignored",
    `--exclude-from=${include}`,
  ]);
  let copied = 0;
  for (const file of splitNul(stdout)) {
    const source = path.join(toplevel, file);
    const target = path.join(worktree, file);
    const stat = await fs.lstat(source).catch(() => undefined);
    if (!stat?.isFile() || (await exists(target))) continue;
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(source, target);
    copied++;
  }
  return copied;
}

export interface PrepareWorktreeOptions {
  ws: Workspace;
  /** The worktree to prepare (absolute). */
  worktree: string;
  /** Its sandbox: the plugins' install commands run in it (use "bootstrap"). */
  sandbox: Sandbox;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  purpose: "exec" | "validate";
  specId?: string;
  runId?: string;
  branch?: string;
}

/** .worktreeinclude, then every plugin's `worktree:ready` with the worktree as its cwd. */
export async function prepareWorktree(options: PrepareWorktreeOptions): Promise<void> {
  const { ws, worktree, specId, runId, branch } = options;
  const copied = await copyIncluded(ws, worktree);
  if (copied > 0) options.log.info(`exec: copied ${copied} file(s) listed in .worktreeinclude`);
  await runHook(
    pluginEnvironment(options),
    "worktree:ready",
    {
      purpose: options.purpose,
      worktree,
      root: ws.paths.toplevel,
      deps: ws.config.exec.worktree.deps,
      ...(specId ? { specId } : {}),
      ...(runId ? { runId } : {}),
      ...(branch ? { branch } : {}),
    },
    {
      cwd: worktree,
      use: "bootstrap",
      ...(specId ? { specId } : {}),
      ...(runId ? { runId } : {}),
    },
  );
}

export async function bootstrapWorktree(c: ExecContext): Promise<void> {
  const { pe, state } = c;
  await guarded(c, "bootstrap", () =>
    prepareWorktree({
      ws: pe.ws,
      worktree: c.worktree,
      sandbox: c.sandbox,
      env: pe.env,
      signal: pe.signal,
      log: pe.log,
      purpose: "exec",
      specId: state.specId,
      runId: state.runId,
      branch: state.branch,
    }),
  );
}
