/** A validation the run passed, recorded by tree id for the pre-push gate (validation-records.ts). */
import { recordTreeValidation } from "../validation-records.ts";
import type { ExecContext } from "./context.ts";
import type { ValidationRecord } from "./run-state.ts";

/** `label`: what passed — a step id, "final" or "merge". */
export async function recordPassed(
  c: ExecContext,
  tree: string,
  validation: ValidationRecord,
  label: string,
): Promise<void> {
  await recordTreeValidation(c.pe.ws.paths.commonDir, {
    tree,
    passed: true,
    commands: validation.runs.map((r) => r.command),
    at: c.pe.now().toISOString(),
    by: `exec ${c.state.specId} ${c.state.runId} ${label}`,
    runs: validation.runs,
    counted: true,
  });
}
