/**
 * The artifact store: where a spec's files live. Two back ends behind one interface: `dir`
 * (`.spe/<id>/…` in the work tree, meant to be committed) and `notes` (the same files on
 * `refs/notes/spe`, attached to the commit the spec was made against, shared with
 * `git spe notes push|pull`).
 */

export const artifactNames = ["USER-SPEC.md", "AI-SPEC.md", "AI-PLAN.md", "state.json"] as const;
export type ArtifactName = (typeof artifactNames)[number];

export type SpecPhase = "spec" | "plan" | "exec" | "done";

export interface PhaseUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Of outputTokens, the model's thinking (where the provider reports it). */
  thinkingTokens?: number;
  /** USD; null when the model's price is unknown. */
  costUsd: number | null;
  durationMs: number;
}

/** `state.json`: what phase a spec is in, and what it cost so far. */
export interface SpecState {
  spe: "state/v1";
  id: string;
  title: string;
  phase: SpecPhase;
  /** "specified", "planned", "running", "validated", "merged", "failed", "aborted", … */
  status: string;
  createdAt: string;
  updatedAt: string;
  /** The commit HEAD was at when the spec was made (the notes store attaches to it). */
  base?: string;
  usage?: Partial<Record<"spec" | "plan" | "exec", PhaseUsage>>;
  /** Set by the plan phase: the commit it was made against and the blob of every packed file. */
  plan?: { base: string; packed: Record<string, string> };
}

export interface SpecEntry {
  id: string;
  state: SpecState;
}

export interface WriteOptions {
  /** The commit a new spec is attached to (notes store); ignored when the spec exists. */
  attachTo?: string;
}

export interface ArtifactStore {
  readonly kind: "dir" | "notes";
  /** Every spec in the store, most recently updated first. */
  list(): Promise<SpecEntry[]>;
  /** One artifact of a spec; undefined when the spec or the artifact does not exist. */
  read(id: string, name: ArtifactName): Promise<string | undefined>;
  /**
   * Writes some artifacts of a spec in one step (readers see all or none of them) and creates
   * the spec when it is new. `state.json` must be among them for a new spec.
   */
  write(
    id: string,
    files: Partial<Record<ArtifactName, string>>,
    options?: WriteOptions,
  ): Promise<void>;
  /** Where a person can find the spec ("…/.spe/<id>" or "refs/notes/spe on <commit>"). */
  describe(id: string): Promise<string>;
  /**
   * Stores a run record (JSON text): `dir` under `.spe/<id>/runs/<run>.json` (ignored by git);
   * `notes` on each of `commits` (the step and merge commits), in the note's `runs` map.
   */
  writeRun(id: string, runId: string, record: string, commits: readonly string[]): Promise<void>;
}
