/** AI-PLAN.md as data: the plan plus what it was made against. */
import type { Plan } from "./schema.ts";

export interface PlanMeta {
  /** The plan's id (the spec's id). */
  id: string;
  /** The spec it implements. */
  spec: string;
  /** The commit the plan was made against. */
  base: string;
  /** Blob id of every file the plan cites, as it was at `base`; "absent" when it did not exist. */
  cited: Record<string, string>;
}

export interface PlanDocument {
  meta: PlanMeta;
  plan: Plan;
}

export const absentBlob = "absent";
export const planFormat = "plan/v1";
