/**
 * The ordered table of a run: prepare, lock, worktree, bootstrap, baseline, one row per step, final
 * validation, drift, validation changes, merge, record, cleanup. A row that is done (or skipped) is not run again,
 * so resuming a run is running its table again.
 */
import type { Plan } from "../../plan/schema.ts";
import type { ExecContext } from "./context.ts";
import type { RowRecord } from "./run-state.ts";

export type RowOutcome = "done" | "skipped";

export interface Row {
  name: string;
  run(c: ExecContext): Promise<RowOutcome | void>;
}

export const stepRowName = (stepId: string) => `step ${stepId}`;

export function rowNames(plan: Plan): string[] {
  return [
    "prepare",
    "lock",
    "worktree",
    "bootstrap",
    "baseline",
    ...plan.steps.map((s) => stepRowName(s.id)),
    "final validation",
    "drift",
    "validation changes",
    "merge",
    "record",
    "cleanup",
  ];
}

export function initialRows(plan: Plan): RowRecord[] {
  return rowNames(plan).map((name) => ({
    name,
    status: name === "prepare" || name === "lock" ? "done" : "pending",
  }));
}

/** A run saved by a version with fewer rows gets the missing ones, pending, in their place. */
export function addMissingRows(plan: Plan, rows: RowRecord[]): void {
  const names = rowNames(plan);
  names.forEach((name, i) => {
    if (rows.some((r) => r.name === name)) return;
    const after = rows.findIndex((r) => r.name === names[i - 1]);
    rows.splice(after + 1, 0, { name, status: "pending" });
  });
}

export async function runRows(c: ExecContext, rows: readonly Row[]): Promise<void> {
  for (const row of rows) {
    const record = c.state.rows.find((r) => r.name === row.name);
    if (!record) throw new Error(`run table has no row "${row.name}"`);
    if (record.status === "done" || record.status === "skipped") continue;
    c.pe.signal.throwIfAborted();
    record.status = "running";
    record.at = c.pe.now().toISOString();
    await c.save();
    try {
      const outcome = await row.run(c);
      record.status = outcome === "skipped" ? "skipped" : "done";
    } catch (error) {
      record.status = "failed";
      record.note = error instanceof Error ? error.message.split("\n")[0] : String(error);
      await c.save();
      throw error;
    }
    record.at = c.pe.now().toISOString();
    await c.save();
  }
}
