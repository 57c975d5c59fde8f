/** What `packContext` (pack.ts) takes and gives. */
import type { Git } from "../git/exec.ts";
import type { Logger } from "../log.ts";
import type { SelectWithPlugin } from "../plugins/selectors.ts";
import type { MapLevels } from "./map-pack.ts";
import type { ContextFormat } from "./render.ts";
import type { SelectorOptions } from "./select.ts";
import type { Chunk, PackedFile, SkippedFile } from "./types.ts";

export interface PackEnvironment {
  /** Runs at the work tree root. */
  git: Git;
  toplevel: string;
  commonDir: string;
  /** Where the user ran the command (pathspecs and --stdin paths are relative to it). */
  cwd: string;
  signal: AbortSignal;
  log: Logger;
  /** Resolves `--select` selections through the plugins. */
  selectWithPlugin?: SelectWithPlugin;
}

export interface PackOptions {
  selectors: SelectorOptions;
  format: ContextFormat;
  budget?: number;
  removeComments?: boolean;
  removeEmptyLines?: boolean;
  /** Outlines of source files: function and method bodies left out (outline.ts). */
  compress?: boolean;
  /** With `budget`: every file at a level — whole, outline or path — by rank (map.ts). */
  map?: boolean;
  diff?: boolean;
  log?: number;
  maxFileBytes: number;
  exclude: readonly string[];
  /** Thread count override (benchmarks); default by work size. */
  threads?: number;
  /** Use the caches in the common git dir: blob-id counts and stored packs (default true). */
  cache?: boolean;
  /** Reuse and store whole packs (stored-pack.ts; default true, off when `cache` is). */
  reuse?: boolean;
}

export interface PackStats {
  selected: number;
  read: number;
  tokenized: number;
  scanned: number;
  /** The document is a stored pack, reused: its files were not read. */
  reused: boolean;
  /** Under `--map`, when outlines were needed: how many files were parsed (not in the cache). */
  outlined?: number;
  durationMs: number;
}

export interface PackResult {
  /** The whole document as one string (joined on first use). */
  readonly output: string;
  /** The document in parts, for writing without building one huge string. */
  chunks: readonly Chunk[];
  format: ContextFormat;
  files: PackedFile[];
  /** Every file not in the document, with the reason (ignored and budget included). */
  skipped: SkippedFile[];
  dropped: PackedFile[];
  totalTokens: number;
  stats: PackStats;
  /** Under `--map`: how many files, and their tokens, at each level. */
  levels?: MapLevels;
}
