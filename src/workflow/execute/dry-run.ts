/** `git spe exec --dry-run`: what a run would do, from the same decisions, changing nothing. */
import path from "node:path";
import { resolveHead } from "../../git/files.ts";
import { symbolicHead } from "../../git/refs.ts";
import type { PhaseEnvironment } from "../phase-environment.ts";
import { resolveSpec } from "../plan.ts";
import { describeStale, findStaleFiles } from "../staleness.ts";
import type { ExecOptions } from "./prepare.ts";
import { readPlanForExec } from "./prepare.ts";
import { validatorsFor } from "./validation.ts";
import { listProjectValidators } from "../../plugins/validators.ts";
import { stepDependencies } from "../../plan/schema.ts";

export interface DryRun {
  specId: string;
  base: string | undefined;
  target: string | null;
  branch: string;
  worktree: string;
  merge: string;
  executor: string;
  stale: string[];
  steps: { id: string; title: string; files: string[]; validate: string[]; needs: string[] }[];
  /** Steps run at once (`--parallel`, exec.parallel). */
  parallel: number;
  /** The project validators, run on the base before the first step. */
  baseValidate: string[];
  finalValidate: string[];
}

export async function dryRunExec(pe: PhaseEnvironment, options: ExecOptions): Promise<DryRun> {
  const specId = await resolveSpec(pe, options.id);
  const { git, config, paths } = pe.ws;
  const { document } = await readPlanForExec(pe, specId);
  const stale = await findStaleFiles(git, document.meta, "HEAD");
  return {
    specId,
    base: stale.length > 0 ? document.meta.base : await resolveHead(git),
    target: (await symbolicHead(git)) ?? null,
    branch: `spe/${specId}`,
    worktree: path.join(paths.commonDir, "spe", "worktrees", specId),
    merge: options.merge ?? config.exec.merge,
    executor: config.models.exec,
    stale: describeStale(stale),
    parallel: options.parallel ?? config.exec.parallel,
    steps: document.plan.steps.map((s, i) => ({
      needs: stepDependencies(document.plan, i),
      id: s.id,
      title: s.title,
      files: s.files.map((f) => `${f.action} ${f.path}`),
      validate: listProjectValidators(config, validatorsFor(s.validate, config.validate)),
    })),
    baseValidate: listProjectValidators(config),
    finalValidate: listProjectValidators(
      config,
      validatorsFor(document.plan.validate, config.validate),
    ),
  };
}

export function formatDryRun(plan: DryRun, force: boolean): string[] {
  const lines = [`git spe exec ${plan.specId} --dry-run (nothing is changed):`];
  if (plan.stale.length > 0) {
    lines.push(
      `  the plan is STALE${force ? " (--force: it runs on the commit it was made against)" : "; exec would refuse it without --force"}:`,
      ...plan.stale.map((l) => `    ${l}`),
    );
  }
  lines.push(
    `  worktree ${plan.worktree} on new branch ${plan.branch} from ${plan.base?.slice(0, 12) ?? "?"}`,
    `  executor ${plan.executor}`,
    ...(plan.baseValidate.length > 0
      ? [
          `  first: ${plan.baseValidate.join("; ")} on the base, to count its tests (unless the base's validation record has them)`,
        ]
      : []),
    ...(plan.parallel > 1
      ? [
          `  up to ${plan.parallel} steps at once, each in its own lane, landing on ${plan.branch} in plan order`,
        ]
      : []),
    ...plan.steps.map(
      (s) =>
        `  ${s.id} ${s.title}${plan.parallel > 1 ? ` (after ${s.needs.join(", ") || "nothing"})` : ""}\n      files: ${s.files.join(", ") || "none"}\n      then: ${s.validate.join("; ") || "(no validators)"}, commit`,
    ),
    `  final validation: ${plan.finalValidate.join("; ") || "(none)"}`,
    `  merge: ${plan.target ? `${plan.merge} into ${plan.target.replace(/^refs\/heads\//, "")}` : "none (HEAD is detached)"}`,
  );
  return lines;
}
