/**
 * Drift: per step, the files the plan said it would touch and did not, and the files it touched
 * without the plan saying so. Pure.
 */
import { displayPath } from "../../context/tree.ts";

export interface StepDrift {
  step: string;
  plannedUntouched: string[];
  unplannedTouched: string[];
}

export interface DriftReport {
  steps: StepDrift[];
  /** True when every step touched exactly what it planned. */
  clean: boolean;
}

export function computeDrift(
  steps: readonly { id: string; planned: readonly string[]; touched: readonly string[] }[],
): DriftReport {
  const out = steps.map((step) => {
    const touched = new Set(step.touched);
    const planned = new Set(step.planned);
    return {
      step: step.id,
      plannedUntouched: step.planned.filter((p) => !touched.has(p)),
      unplannedTouched: step.touched.filter((p) => !planned.has(p)),
    };
  });
  return {
    steps: out,
    clean: out.every((s) => s.plannedUntouched.length === 0 && s.unplannedTouched.length === 0),
  };
}

export function formatDrift(report: DriftReport): string[] {
  if (report.clean) return ["drift: none (every step touched exactly the files it planned)"];
  const lines = ["drift:"];
  for (const step of report.steps) {
    if (step.plannedUntouched.length === 0 && step.unplannedTouched.length === 0) continue;
    // A touched file's name can hold a newline or an escape sequence: one path, one line.
    for (const p of step.plannedUntouched)
      lines.push(`  ${step.step}: planned, not touched: ${displayPath(p)}`);
    for (const p of step.unplannedTouched)
      lines.push(`  ${step.step}: touched, not planned: ${displayPath(p)}`);
  }
  return lines;
}
