/** What to do after a run stops: how to inspect, resume or abort it. */
import { shellQuote } from "../../util/shell-quote.ts";
import type { RunState } from "./run-state.ts";

export function failureHints(state: RunState): string[] {
  return [
    `Inspect: ${shellQuote(["cd", state.worktree])}  (branch ${state.branch}; failed attempts: git for-each-ref refs/spe/attempts/${state.runId})`,
    `Resume: git spe exec ${state.specId} --resume  (your own fixes in the worktree are validated first)`,
    `Abort: git spe abort ${state.specId}`,
  ];
}
