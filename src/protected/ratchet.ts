/**
 * The test-count ratchet: the run's final validation must run at least as many tests as the
 * same validators ran on the run's base. Fewer (or no readable summary where the base had one)
 * is a validation change. Compared per validator, by its command or label. Pure.
 */
import type { ValidationChange } from "./classify.ts";
import { testsRun, type TestCounts } from "./test-counts.ts";

export interface CountedRun {
  command: string;
  tests?: TestCounts;
}

export function fewerTests(
  base: readonly CountedRun[],
  final: readonly CountedRun[],
): ValidationChange[] {
  const out: ValidationChange[] = [];
  for (const before of base) {
    if (!before.tests) continue;
    const after = final.find((run) => run.command === before.command);
    if (!after) continue;
    const was = testsRun(before.tests);
    if (!after.tests) {
      out.push({
        command: before.command,
        kind: "fewer tests ran",
        detail: `${was} at the base, no ${before.tests.runner} summary now`,
      });
      continue;
    }
    const now = testsRun(after.tests);
    if (now < was)
      out.push({
        command: before.command,
        kind: "fewer tests ran",
        detail: `${was} at the base, ${now} now (${after.tests.runner})`,
      });
  }
  return out;
}
