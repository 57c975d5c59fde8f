/** What to do after a run stops: how to inspect, resume or abort it. */
import { shellQuote } from "../../util/shell-quote.ts";
import type { RunState } from "./run-state.ts";

export function failureHints(state: RunState): string[] {
  // Under --parallel a step's work is in its lane, not in the run's worktree.
  const lanes = state.steps.filter((s) => s.lane && s.status !== "committed");
  return [
    `Inspect: ${shellQuote(["cd", state.worktree])}  (branch ${state.branch}; failed attempts: git for-each-ref refs/spe/attempts/${state.runId})`,
    ...lanes.map(
      (s) =>
        `Inspect ${s.id} in its lane: ${shellQuote(["cd", s.lane!.worktree])}  (a fix there is validated first on resume)`,
    ),
    `Resume: git spe exec ${state.specId} --resume  (your own fixes in the worktree are validated first)`,
    `Abort: git spe abort ${state.specId}`,
  ];
}
