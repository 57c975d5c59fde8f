/**
 * Validating a revision: the project's validators (the `validate` commands, then the plugins')
 * on its exact tree, in a temporary detached worktree prepared as exec prepares its scratch
 * worktree (.worktreeinclude, the plugins' worktree:ready: dependencies) and never the user's
 * work tree, whatever state it is in. The result is recorded by tree id for the pre-push gate;
 * a tree that already passed can be taken from the record.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { usageError } from "../errors.ts";
import { readRef } from "../git/refs.ts";
import { openSandbox, requireSandbox } from "../sandbox/open-sandbox.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import { addDetachedWorktree, removeScratchWorktree } from "../git/worktree.ts";
import type { Logger } from "../log.ts";
import type { Workspace } from "../workspace.ts";
import { listProjectValidators, runProjectValidators } from "../plugins/validators.ts";
import { prepareWorktree } from "./execute/bootstrap.ts";
import type { CommandRun } from "./execute/run-state.ts";
import { readTreeValidation, recordTreeValidation } from "./validation-records.ts";

export interface RevisionValidation {
  rev: string;
  commit: string;
  tree: string;
  passed: boolean;
  /** True when a passing record for the tree was used instead of running the validators. */
  cached: boolean;
  commands: string[];
  runs: CommandRun[];
}

export interface ValidateRevisionOptions {
  ws: Workspace;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  /** Take a passing record for the tree instead of running again. */
  useRecord?: boolean;
  /** Who asks, for the record ("validate", "pre-push"). */
  by: string;
}

export async function validateRevision(
  rev: string,
  options: ValidateRevisionOptions,
): Promise<RevisionValidation> {
  const { ws } = options;
  const commit = await readRef(ws.git, `${rev}^{commit}`);
  if (!commit) throw usageError(`${rev} is not a commit in this repository`);
  const tree = await ws.git.text(["rev-parse", `${commit}^{tree}`]);
  const commands = listProjectValidators(ws.config);
  if (commands.length === 0) {
    throw usageError("no validators are configured, so nothing can be validated", {
      hint: 'Add them to .spe.config.ts, e.g. validate: ["npm test"], or add a plugin that has validators.',
    });
  }
  if (options.useRecord) {
    const record = await readTreeValidation(ws.paths.commonDir, tree);
    if (record?.passed)
      return {
        rev,
        commit,
        tree,
        passed: true,
        cached: true,
        commands: record.commands,
        runs: record.runs,
      };
  }
  // The revision's code runs here: no sandbox, no validation (before any worktree exists).
  const probe = await requireSandbox(ws, options.env, options.log);
  const dir = path.join(
    ws.paths.commonDir,
    "spe",
    "validate",
    `${tree.slice(0, 12)}-${process.pid}`,
  );
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await addDetachedWorktree(ws.git, dir, commit);
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await openSandbox({ ws, env: options.env, worktree: dir, probe });
    options.log.info(
      `validate: ${commands.join(", ")} on ${rev} (${commit.slice(0, 12)}) in a temporary worktree`,
    );
    await prepareWorktree({
      ws,
      worktree: dir,
      env: options.env,
      signal: options.signal,
      log: options.log,
      purpose: "validate",
      sandbox,
    });
    const result = await runProjectValidators({
      ws,
      worktree: dir,
      env: options.env,
      signal: options.signal,
      log: options.log,
      stage: "validate",
      sandbox,
      onValidator: (label) => options.log.progress(`validate: ${label}`),
    });
    await recordTreeValidation(ws.paths.commonDir, {
      tree,
      passed: result.passed,
      commands,
      at: new Date().toISOString(),
      by: `${options.by} ${commit}`,
      runs: result.runs,
      counted: true,
    });
    return { rev, commit, tree, passed: result.passed, cached: false, commands, runs: result.runs };
  } finally {
    await sandbox?.dispose();
    await removeScratchWorktree(ws.git, dir);
  }
}
