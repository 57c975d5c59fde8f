/** `git spe plan [ID] [--edit]`. */
import type { SelectorOptions } from "../context/select.ts";
import { formatUsage } from "../workflow/model-call.ts";
import { editPlan, resolveSpec, runPlanPhase, type PlanPhaseResult } from "../workflow/plan.ts";
import type { CommandContext } from "./command-context.ts";
import { openPhaseEnvironment } from "./phase-env.ts";

export interface PlanCommandOptions {
  id?: string;
  edit?: boolean;
  selectors?: SelectorOptions;
}

export interface PlanCommandResult {
  id: string;
  /** Set when a plan was made by the model in this run. */
  planned?: PlanPhaseResult;
  /** Set when the plan was edited in this run. */
  edited?: { steps: number };
  /** The AI-PLAN.md that is now stored. */
  markdown: string;
}

export async function plan(
  ctx: CommandContext,
  options: PlanCommandOptions,
): Promise<PlanCommandResult> {
  const pe = await openPhaseEnvironment(ctx);
  const selectors = options.selectors ? { selectors: options.selectors } : {};
  let id = options.id;
  // --edit on a spec that already has a plan edits it; otherwise the plan is made first.
  if (options.edit) {
    id = await resolveSpec(pe, id);
    if ((await pe.store.read(id, "AI-PLAN.md")) !== undefined) {
      const edited = await editPlan(pe, id);
      return {
        id,
        edited: { steps: edited.steps },
        markdown: (await pe.store.read(id, "AI-PLAN.md")) ?? "",
      };
    }
  }
  const planned = await runPlanPhase(pe, { ...(id ? { id } : {}), ...selectors });
  const edited = options.edit ? await editPlan(pe, planned.id) : undefined;
  return {
    id: planned.id,
    planned,
    ...(edited ? { edited: { steps: edited.steps } } : {}),
    markdown: (await pe.store.read(planned.id, "AI-PLAN.md")) ?? "",
  };
}

/** Reports a plan phase; `next` adds the "what to do next" line (not inside git spe run). */
export function reportPlan(ctx: CommandContext, result: PlanCommandResult, next = true): void {
  ctx.log.json(result);
  ctx.log.result(result.markdown);
  if (result.planned) {
    ctx.log.success(
      `plan ${result.id}: ${result.planned.steps} step(s) → ${result.planned.location}`,
    );
    ctx.log.info(`  ${formatUsage(result.planned.usage)}`);
  }
  if (result.edited)
    ctx.log.success(`plan ${result.id}: your edit is saved (${result.edited.steps} step(s))`);
  if (next) {
    ctx.log.info(
      `Next: review the plan (git spe plan ${result.id} --edit to change it), then git spe exec ${result.id}`,
    );
  }
}
