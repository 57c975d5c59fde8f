/**
 * Preparing a run: the plan as it will be executed, refused when stale (unless --force), the
 * branch the result merges back into, the commit the scratch branch starts from, and every check
 * that can fail before anything is created.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { usageError } from "../../errors.ts";
import { requireCommitIdentity } from "../../git/commit.ts";
import { resolveHead } from "../../git/files.ts";
import { readRef, symbolicHead } from "../../git/refs.ts";
import { parsePlan, PlanParseError } from "../../plan/parse.ts";
import type { PhaseEnvironment } from "../phase-environment.ts";
import { describeStale, findStaleFiles } from "../staleness.ts";
import { initialRows } from "./rows.ts";
import { listProjectValidators } from "../../plugins/validators.ts";
import { newRunId, type MergeRecord, type RunState } from "./run-state.ts";

export interface ExecOptions {
  id?: string;
  merge?: MergeRecord["mode"];
  resume?: boolean;
  keepWorktree?: boolean;
  dryRun?: boolean;
  force?: boolean;
  maxCost?: number;
  /** Steps run at once (default: exec.parallel). */
  parallel?: number;
  /** With resume: the validation changes that held the merge may merge. */
  acceptValidationChanges?: boolean;
}

export async function readPlanForExec(pe: PhaseEnvironment, specId: string) {
  const planText = await pe.store.read(specId, "AI-PLAN.md");
  if (planText === undefined)
    throw usageError(`spec ${specId} has no plan yet`, { hint: `git spe plan ${specId}` });
  try {
    return { planText, document: parsePlan(planText) };
  } catch (error) {
    if (error instanceof PlanParseError) {
      throw usageError(`the plan of ${specId} does not parse:\n${error.message}`, {
        hint: `git spe plan ${specId} --edit`,
      });
    }
    throw error;
  }
}

export async function prepareRun(
  pe: PhaseEnvironment,
  specId: string,
  options: ExecOptions,
): Promise<RunState> {
  const { git, paths, config } = pe.ws;
  const { planText, document } = await readPlanForExec(pe, specId);
  const head = await resolveHead(git);
  if (!head) throw usageError("there is no commit to run the plan on: make a first commit");
  const stale = await findStaleFiles(git, document.meta, "HEAD");
  if (stale.length > 0 && !options.force) {
    throw usageError(
      `the plan of ${specId} is stale: files it cites changed since it was made:\n${describeStale(
        stale,
      )
        .map((l) => `  ${l}`)
        .join("\n")}`,
      {
        hint: [
          `Plan again: git spe plan ${specId}`,
          `Or run it on the commit it was made against: git spe exec ${specId} --force`,
        ],
      },
    );
  }
  const target = (await symbolicHead(git)) ?? null;
  let merge = options.merge ?? config.exec.merge;
  if (target === null && merge !== "none") {
    pe.log.warn("HEAD is detached: the work stays on its branch (--merge none)");
    merge = "none";
  }
  const branch = `spe/${specId}`;
  if (await readRef(git, `refs/heads/${branch}`)) {
    throw usageError(`branch ${branch} already exists (from an earlier run)`, {
      hint: [`Merge or delete it first (git branch -D ${branch}), or: git spe abort ${specId}`],
    });
  }
  const worktree = path.join(paths.commonDir, "spe", "worktrees", specId);
  if (
    await fs.stat(worktree).then(
      () => true,
      () => false,
    )
  ) {
    throw usageError(`a scratch worktree is left at ${worktree}`, {
      hint: `git spe abort ${specId}`,
    });
  }
  await requireCommitIdentity(git);
  const steps = document.plan.steps;
  if (
    listProjectValidators(config).length === 0 &&
    !document.plan.validate?.length &&
    steps.every((s) => !s.validate?.length)
  ) {
    pe.log.warn(
      'no validators: steps are committed unchecked (set validate in .spe.config.ts, e.g. ["npm test"])',
    );
  }
  const parallel = options.parallel ?? config.exec.parallel;
  // Unconfined, a model could move the run's branch while another step lands on it, and the
  // repo guard cannot tell the two apart: lanes need the sandbox.
  if (parallel > 1 && config.exec.sandbox === "off")
    throw usageError(
      `--parallel ${parallel} needs the sandbox, and exec.sandbox is "off": steps would run unconfined side by side`,
      { hint: "Turn the sandbox back on, or run the steps one at a time (--parallel 1)." },
    );
  const now = pe.now();
  return {
    spe: "run/v1",
    runId: newRunId(now),
    specId,
    status: "running",
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    pid: process.pid,
    target,
    startHead: head,
    base: stale.length > 0 ? document.meta.base : head,
    branch,
    worktree,
    merge,
    keepWorktree: options.keepWorktree ?? false,
    ...(parallel > 1 ? { parallel } : {}),
    maxCostUsd: options.maxCost ?? null,
    planText,
    validate: [...config.validate],
    rows: initialRows(document.plan),
    steps: steps.map((s) => ({ id: s.id, title: s.title, status: "pending", attempts: [] })),
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0,
  };
}
