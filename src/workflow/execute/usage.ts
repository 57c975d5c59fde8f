/** Usage and cost of a run, and the --max-cost stop. */
import type { StepExecutionResult } from "../../agent/types.ts";
import { workFailed } from "../../errors.ts";
import { addUsage } from "../../providers/types.ts";
import type { ExecContext } from "./context.ts";
import { failureHints } from "./hints.ts";
import type { RunState } from "./run-state.ts";

export function addRunUsage(state: RunState, result: StepExecutionResult): void {
  state.usage = addUsage(state.usage, result.usage);
  state.costUsd =
    state.costUsd === null || result.costUsd === undefined ? null : state.costUsd + result.costUsd;
}

export function checkCostLimit(c: ExecContext): void {
  const { maxCostUsd, costUsd } = c.state;
  if (maxCostUsd === null) return;
  if (costUsd === null) {
    c.pe.log.warn(
      "--max-cost: the executor model's price is unknown, so the limit cannot be enforced",
    );
    return;
  }
  if (costUsd > maxCostUsd) {
    throw workFailed(
      `stopped: the run has cost $${costUsd.toFixed(2)}, over --max-cost $${maxCostUsd.toFixed(2)}`,
      {
        hint: [
          `Continue with a higher limit: git spe exec ${c.state.specId} --resume --max-cost ${(maxCostUsd * 2).toFixed(2)}`,
          ...failureHints(c.state).slice(2),
        ],
      },
    );
  }
}
