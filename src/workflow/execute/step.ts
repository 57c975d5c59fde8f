/**
 * One plan step: the executor works in the scratch worktree, nothing may move a ref, the
 * validators decide, and a pass becomes one commit (step-commit.ts). A failed attempt is kept
 * on refs/spe/attempts/<run>/<step>/<n> and its validation output goes back to the model, up to
 * exec.maxRepairs more times.
 */
import type { StepExecutionResult } from "../../agent/types.ts";
import { isAbortError, workFailed } from "../../errors.ts";
import { resetScratchWorktree } from "../../git/commit.ts";
import { loadPrompt } from "../prompts.ts";
import type { ExecContext } from "./context.ts";
import { failureHints } from "./hints.ts";
import { captureRefs, checkRefs } from "./ref-guard.ts";
import { guarded } from "./guarded.ts";
import { failedRun, type AttemptRecord, type ValidationRecord } from "./run-state.ts";
import { buildStepPrompt, createStepFileFilter, repairPrompt } from "./step-prompt.ts";
import { addRunUsage, checkCostLimit } from "./usage.ts";
import { outputTail, runStatus, validatorsFor } from "./validation.ts";
import { runValidate } from "./validation-changes.ts";
import { runHookOf, stepEvent } from "./plugin-hooks.ts";
import {
  afterStep,
  commitStep,
  keepAttempt,
  madeButNotRecorded,
  recordCommit,
} from "./step-commit.ts";
import { runProjectValidators } from "../../plugins/validators.ts";
import { relatedOutlines } from "./related-outlines.ts";
import type { ValidationStage } from "../../plugins/types.ts";

async function hasChanges(c: ExecContext): Promise<boolean> {
  const { stdout } = await c
    .worktreeGit()
    // No optional locks: an index.lock left by a Ctrl-C here would stop the resumed run's commit.
    .run(["--no-optional-locks", "status", "--porcelain", "-z", "--untracked-files=all"]);
  return stdout !== "";
}

/** The commands, then the plugins' validators, in the worktree (plugins/validators.ts). */
export async function validateWorktree(
  c: ExecContext,
  commands: readonly string[],
  label: string,
  stage: ValidationStage = "step",
): Promise<ValidationRecord> {
  const stepId = stage === "step" ? label : undefined;
  const index = c.plan.steps.findIndex((s) => s.id === stepId);
  return guarded(
    c,
    label,
    () =>
      runProjectValidators({
        ws: c.pe.ws,
        worktree: c.worktree,
        sandbox: c.sandbox,
        env: c.pe.env,
        signal: c.pe.signal,
        log: c.pe.log,
        commands,
        stage,
        specId: c.state.specId,
        runId: c.state.runId,
        ...(stepId ? { stepId } : {}),
        onValidator: (validator) => c.pe.log.progress(`${label}: validating: ${validator}`),
      }),
    index === -1 ? undefined : index,
  );
}

function executorRecord(result: StepExecutionResult): NonNullable<AttemptRecord["executor"]> {
  return { ...result, costUsd: result.costUsd ?? null };
}

/**
 * The executor's run for one attempt. When it fails (the model API past its retries, a stream
 * cut off) the attempt records why and the step is failed; its edits stay in the worktree,
 * where --resume validates them first.
 */
async function runExecutor(
  c: ExecContext,
  index: number,
  entry: AttemptRecord,
  execute: () => Promise<StepExecutionResult>,
): Promise<StepExecutionResult> {
  try {
    return await guarded(c, c.plan.steps[index]?.id ?? "step", execute, index);
  } catch (error) {
    if (!isAbortError(error, c.pe.signal)) {
      entry.error = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      (c.state.steps[index] as (typeof c.state.steps)[number]).status = "failed";
      await c.save();
    }
    throw error;
  }
}

export async function runStep(c: ExecContext, index: number): Promise<void> {
  const step = c.plan.steps[index] as (typeof c.plan.steps)[number];
  const record = c.state.steps[index] as (typeof c.state.steps)[number];
  // Committed but the row did not finish: its step:after hook failed; that is what is left.
  if (record.status === "committed") {
    const passed = record.attempts.findLast((a) => a.validation?.passed)?.validation;
    return afterStep(c, index, passed ?? { passed: true, runs: [] });
  }
  if (record.status !== "pending") {
    const made = await madeButNotRecorded(c, step.id);
    if (made) {
      c.pe.log.info(`${step.id}: committed as ${made.slice(0, 12)} before the run stopped`);
      const passed = record.attempts.findLast((a) => a.validation?.passed)?.validation;
      return recordCommit(c, index, made, passed ?? { passed: true, runs: [] });
    }
  }
  const { config } = c.pe.ws;
  const validators = validatorsFor(step.validate, runValidate(c));
  const label = `${step.id}`;
  await runHookOf(c, "step:before", stepEvent(c, index), step.id);

  // A step started before (an interrupted or failed run): what the worktree holds now — the
  // last attempt, or a fix made by hand — is validated first and becomes the step if it passes.
  if (record.status !== "pending" && (await hasChanges(c))) {
    c.pe.log.info(`${label}: validating the changes left in the worktree`);
    const leftover = await validateWorktree(c, validators, label);
    if (leftover.passed) return commitStep(c, index, leftover);
    const n = record.attempts.length + 1;
    record.attempts.push({
      n,
      startedAt: c.pe.now().toISOString(),
      validation: leftover,
      error: "left in the worktree",
      ref: await keepAttempt(c, step.id, n, "left in the worktree by an earlier run"),
    });
    await resetScratchWorktree(c.worktreeGit());
  }
  record.status = "running";
  await c.save();

  const maxAttempts = 1 + config.exec.maxRepairs;
  const guard = await captureRefs(c.worktreeGit(), c.guardRef);
  const executor = await c.executor();
  const filter = await createStepFileFilter(c.pe.ws.paths.toplevel, config.context, (file, why) =>
    c.pe.log.warn(`${label}: ${file} is not shown to the model: ${why}`),
  );
  // Context beyond the step's files; a failure here costs only that context.
  const related = await relatedOutlines({
    worktree: c.worktree,
    commonDir: c.pe.ws.paths.commonDir,
    git: c.worktreeGit(),
    step,
    filter,
    signal: c.pe.signal,
  }).catch((error: unknown) => {
    c.pe.log.debug(
      `${label}: no related outlines: ${error instanceof Error ? error.message : String(error)}`,
    );
    return "";
  });
  let failed: ValidationRecord | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const entry: AttemptRecord = {
      n: record.attempts.length + 1,
      startedAt: c.pe.now().toISOString(),
    };
    record.attempts.push(entry);
    await c.save();
    const prompt = await buildStepPrompt({
      spec: c.spec,
      planText: c.state.planText,
      step,
      worktree: c.worktree,
      filter,
      related,
    });
    c.pe.log.info(
      `${label} "${step.title}": ${executor.name} working (attempt ${attempt} of ${maxAttempts})`,
    );
    const result = await runExecutor(c, index, entry, () =>
      executor.execute({
        worktree: c.worktree,
        system: loadPrompt("exec-system"),
        prompt: failed ? `${prompt}\n\n${repairPrompt(failed, attempt, maxAttempts)}` : prompt,
        signal: c.pe.signal,
        log: c.pe.log,
        sandbox: c.sandbox,
        onEvent: (event) => {
          if (event.type === "tool") c.pe.log.progress(`${label}: ${event.name} ${event.summary}`);
        },
      }),
    );
    if (result.outcome === "turn-limit")
      c.pe.log.warn(
        `${label}: ${executor.name} was stopped at the turn limit (${result.turns} turns); validating what it left`,
      );
    entry.executor = executorRecord(result);
    addRunUsage(c.state, result);
    await c.save();
    const moved = await checkRefs(c.worktreeGit(), c.guardRef, guard);
    if (moved.length > 0) {
      entry.error = `moved refs: ${moved.join("; ")}`;
      record.status = "failed";
      await c.save();
      throw workFailed(
        `${label}: the executor moved git refs, so the step fails: ${moved.join("; ")}`,
        { hint: failureHints(c.state) },
      );
    }
    checkCostLimit(c);
    const validation = await validateWorktree(c, validators, label);
    entry.validation = validation;
    await c.save();
    if (validation.passed) return commitStep(c, index, validation);
    const run = failedRun(validation);
    entry.ref = await keepAttempt(c, step.id, entry.n, `validation failed: ${run?.command}`);
    await c.save();
    c.pe.log.warn(
      `${label}: validation failed (attempt ${attempt} of ${maxAttempts}): ${run?.command} ${runStatus(run)}`,
    );
    failed = validation;
  }
  record.status = "failed";
  await c.save();
  const run = failed && failedRun(failed);
  throw workFailed(
    `${label} "${step.title}" still fails validation after ${maxAttempts} attempt(s): ${run?.command} ${runStatus(run)}\n${outputTail(run?.output, 12, "  ")}`,
    { hint: failureHints(c.state) },
  );
}
