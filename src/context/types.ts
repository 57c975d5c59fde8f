/** Data that flows through the context pipeline: select → filter → read → transform → count → fit → render. */

/**
 * Why a file was selected, strongest first. With --budget, lower ranks are dropped first:
 * explicit paths > diff (staged, modified, untracked, branch) > plan > grep > the rest.
 */
export const selectionRank = { explicit: 5, diff: 4, plan: 3, grep: 2, all: 1 } as const;
export type SelectionKind = keyof typeof selectionRank;

export interface Candidate {
  /** Path relative to the work tree root, exactly as git reports it. */
  path: string;
  rank: number;
  /** Selectors that picked the file ("staged", "grep", "PATH", …), for reports. */
  selectedBy: string[];
  /** Where a renamed file came from. */
  oldPath?: string;
  /** Index mode when known (160000 submodule, 120000 symlink). */
  mode?: string;
}

export type SkipReason =
  | "deleted"
  | "binary"
  | "too-large"
  | "secret"
  | "symlink"
  | "submodule"
  | "not-a-file"
  | "unreadable"
  | "ignored"
  | "budget";

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** Human detail: the size, the symlink target, the secret rule (never the secret). */
  detail?: string;
}

export interface PackedFile {
  path: string;
  oldPath?: string;
  /** The text as packed (decoded on first use when `raw` is set). */
  readonly content: string;
  /** The file's bytes when they are the packed text exactly (no transform): written as is. */
  raw?: Uint8Array;
  /** Git blob id of the file's bytes in the work tree. */
  blobId?: string;
  bytes: number;
  tokens: number;
  rank: number;
  /** Under `--map`: the file's outline, when it has one that differs from its text. */
  outline?: { content: string; tokens: number };
  /** Under `--map`: the names it declares and uses (the map's edges). */
  symbols?: { defs: string[]; refs: string[] };
  /** Under `--map`, once placed: whole, or its outline. */
  level?: "whole" | "outline";
}

/** A piece of a rendered document: text, or a file's bytes written without decoding. */
export type Chunk = string | Uint8Array;

export interface SecretFinding {
  ruleId: string;
  messageId: string;
  line: number;
}
