/**
 * The row before the merge: the run's validation changes (each step's, plus the test-count
 * ratchet against the base that baseline.ts measured) hold the merge unless the plan declared
 * them with a reason or the user accepts them — asked on a terminal, or `git spe exec ID
 * --resume --accept-validation-changes` after a run that stopped here. With `--merge none`
 * nothing merges: the changes are reported and recorded for whoever merges the branch.
 */
import { workFailed } from "../../errors.ts";
import { describeChange, type ValidationChange } from "../../protected/classify.ts";
import { fewerTests } from "../../protected/ratchet.ts";
import type { ExecContext } from "./context.ts";
import type { RunState, ValidationGate } from "./run-state.ts";
import { stepValidationChanges } from "./validation-changes.ts";

async function collectChanges(c: ExecContext): Promise<ValidationChange[]> {
  const changes: ValidationChange[] = [];
  for (const [index, record] of c.state.steps.entries()) {
    if (record.commit && record.validationChanges === undefined) {
      record.validationChanges = await stepValidationChanges(c, index, record.commit);
      await c.save();
    }
    changes.push(...(record.validationChanges ?? []));
  }
  const final = c.state.finalValidation;
  const baseline = c.state.validationGate?.baseline;
  if (baseline && final) {
    // Tests the plan removes on purpose (a test change declared with a reason) run no more:
    // the drop in the count is declared with them.
    const reasons = [
      ...new Set(
        changes.flatMap((ch) =>
          ch.declared !== undefined && ch.kind.startsWith("test ") ? [ch.declared] : [],
        ),
      ),
    ];
    for (const change of fewerTests(baseline.runs, final.runs))
      changes.push(reasons.length > 0 ? { ...change, declared: reasons.join("; ") } : change);
  }
  return changes;
}

/** The changes that hold the merge: those the plan did not declare with a reason. */
export const heldChanges = (changes: readonly ValidationChange[]) =>
  changes.filter((change) => change.declared === undefined);

export async function validationGateRow(c: ExecContext): Promise<"done"> {
  const { state, pe } = c;
  const changes = await collectChanges(c);
  const gate: ValidationGate = {
    changes,
    ...(state.validationGate?.baseline ? { baseline: state.validationGate.baseline } : {}),
  };
  state.validationGate = gate;
  const held = heldChanges(changes);
  for (const change of changes.filter((ch) => ch.declared !== undefined))
    pe.log.info(`validation change declared in the plan: ${describeChange(change)}`);
  if (held.length === 0) {
    await c.save();
    return "done";
  }
  for (const change of held) pe.log.warn(`validation change: ${describeChange(change)}`);
  const at = () => pe.now().toISOString();
  if (state.merge === "none" || state.target === null) {
    pe.log.warn(
      `exec: nothing merges (--merge none); whoever merges ${state.branch} should review these ${held.length} validation change(s)`,
    );
  } else if (state.acceptValidationChanges) {
    gate.decision = { accepted: true, by: "--accept-validation-changes", at: at(), changes: held };
    pe.log.info(`exec: ${held.length} validation change(s) accepted (--accept-validation-changes)`);
  } else if (pe.confirm) {
    const accepted = await pe.confirm(
      `The run changes what validates it (${held.length} change(s) above). Merge anyway?`,
    );
    gate.decision = { accepted, by: "terminal", at: at(), changes: held };
    if (!accepted) return hold(c, held);
  } else {
    return hold(c, held);
  }
  await c.save();
  return "done";
}

async function hold(c: ExecContext, held: readonly ValidationChange[]): Promise<never> {
  const { state } = c;
  state.status = "blocked";
  await c.save();
  throw workFailed(
    [
      `not merged: the run changes what validates it (${held.length} validation change(s)):`,
      ...held.map((change) => `  ${describeChange(change)}`),
    ].join("\n"),
    {
      hint: [
        `The work stays on branch ${state.branch}; nothing of yours changed.`,
        `Review: git spe drift ${state.specId}   (the step commits: git log ${state.base.slice(0, 12)}..${state.branch})`,
        `Accept and merge: git spe exec ${state.specId} --resume --accept-validation-changes`,
        `Or drop the run: git spe abort ${state.specId}`,
      ],
    },
  );
}

/** The run's validation changes: recorded at its gate, or the steps' so far. */
export function validationGateOf(run: RunState): ValidationGate {
  return run.validationGate ?? { changes: run.steps.flatMap((s) => s.validationChanges ?? []) };
}

/** For `git spe drift` and `show ID drift`: the run's validation changes and the decision. */
export function formatValidationGate(state: RunState): string[] {
  const { changes } = validationGateOf(state);
  if (changes.length === 0) return ["validation changes: none"];
  const lines = [`validation changes: ${changes.length}`];
  for (const change of changes) lines.push(`  ${describeChange(change)}`);
  const decision = state.validationGate?.decision;
  if (decision)
    lines.push(
      `  ${decision.accepted ? "accepted" : "refused"} (${decision.by === "terminal" ? "on the terminal" : decision.by}) at ${decision.at}`,
    );
  else if (state.status === "blocked" && heldChanges(changes).length > 0)
    lines.push(
      `  holding the merge; accept: git spe exec ${state.specId} --resume --accept-validation-changes`,
    );
  return lines;
}
