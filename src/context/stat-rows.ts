/**
 * Stat data that vouches for the bytes of a stored pack's files, the way git's index vouches
 * for a work tree: one row per path, [kind, size, mtime, ctime, inode, device], directories by
 * identity only (their times change with their entries). See stored-pack.ts for how rows are
 * used; {@link StatRecorder} for when they are taken and what makes them racy.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const rowWidth = 6;
const kind = { missing: 0, file: 1, directory: 2, symlink: 3, other: 4, error: 5 } as const;

/**
 * How long before a pack starts a change must lie for stat data to vouch for the bytes: covers
 * work trees whose timestamps are coarser than the clock read (FAT rounds to two seconds) and a
 * write still copying its bytes when the pack starts (Linux stamps a write when it begins).
 */
export const racyMarginMs = 2000;

/** The selected paths, then every directory on the way to one (root-relative, each once). */
export function statPaths(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let slash = p.lastIndexOf("/"); slash > 0; slash = p.lastIndexOf("/", slash - 1)) {
      const dir = p.slice(0, slash);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return [...paths, ...dirs];
}

type Lstat = fs.Stats | "missing" | "error";

function lstatOf(file: string): Lstat {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) ?? "missing";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOTDIR" ? "missing" : "error";
  }
}

/** Writes one path's row at `at`. */
function writeRow(stat: Lstat, table: Float64Array, at: number): void {
  if (typeof stat !== "object") {
    table.fill(0, at, at + rowWidth);
    table[at] = stat === "missing" ? kind.missing : kind.error;
    return;
  }
  const directory = stat.isDirectory();
  table[at] = directory
    ? kind.directory
    : stat.isFile()
      ? kind.file
      : stat.isSymbolicLink()
        ? kind.symlink
        : kind.other;
  // A directory's times and size change with its entries (an editor's swap file): not compared.
  table[at + 1] = directory ? 0 : stat.size;
  table[at + 2] = directory ? 0 : stat.mtimeMs;
  table[at + 3] = directory ? 0 : stat.ctimeMs;
  table[at + 4] = stat.ino;
  table[at + 5] = stat.dev;
}

function sameRow(row: Float64Array, table: Float64Array, at: number): boolean {
  for (let j = 0; j < rowWidth; j++) if (row[j] !== table[at + j]) return false;
  return true;
}

/** `root/`: git's paths are clean and relative, so joining is concatenating (path.join costs 10 ms per 30,000). */
const under = (root: string) => (root.endsWith(path.sep) ? root : root + path.sep);

/** True when every path's stat data equals the table's; stops at the first difference. */
export function statsMatch(root: string, paths: readonly string[], table: Float64Array): boolean {
  if (table.length !== paths.length * rowWidth) return false;
  const row = new Float64Array(rowWidth);
  const prefix = under(root);
  for (let i = 0; i < paths.length; i++) {
    writeRow(lstatOf(prefix + (paths[i] as string)), row, 0);
    if (!sameRow(row, table, i * rowWidth)) return false;
  }
  return true;
}

/** Stat data that vouches for the bytes a pack read, unless `racy`. */
export interface StatSnapshot {
  paths: string[];
  table: Float64Array;
  /** Some file changed too recently for its stat data to vouch for its bytes. */
  racy: boolean;
}

/**
 * Collects a pack's stat data while it reads, each row taken no later than the read it vouches
 * for: the file system's clock first; then the directories (identity); an opened file's fstat,
 * taken before its bytes are read; a path the reader did not open (deleted, a symlink), its
 * lstat right after the reader's verdict. Racy, so not to be stored: any file changed, or any
 * directory changed (an entry added, removed or renamed), within {@link racyMarginMs} of the
 * start or later, and any directory that is not the same one at the end (moved in, swapped for
 * a symlink during the pack).
 */
export class StatRecorder {
  private readonly paths: string[];
  private readonly table: Float64Array;
  private readonly recorded: Uint8Array;
  private readonly selected: number;
  private readonly prefix: string;
  private readonly limit: number;
  private racy = false;

  /** `clockDir`: where the probe file that reads the file system's clock is made. */
  constructor(root: string, clockDir: string, selected: readonly string[]) {
    this.paths = statPaths(selected);
    this.selected = selected.length;
    this.table = new Float64Array(this.paths.length * rowWidth);
    this.recorded = new Uint8Array(this.paths.length);
    this.prefix = under(root);
    fs.mkdirSync(clockDir, { recursive: true });
    const probe = path.join(clockDir, `.tick-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      fs.writeFileSync(probe, "");
      this.limit = fs.statSync(probe).mtimeMs - racyMarginMs;
    } finally {
      fs.rmSync(probe, { force: true });
    }
    for (let i = this.selected; i < this.paths.length; i++) this.record(i, this.lstat(i));
  }

  /** Selected path `index`: its fstat, taken before its bytes were read. */
  record(index: number, stat: Lstat): void {
    writeRow(stat, this.table, index * rowWidth);
    this.recorded[index] = 1;
    // A directory's times are not compared later, but one that changed now is racy all the same.
    if (typeof stat === "object" && (stat.mtimeMs >= this.limit || stat.ctimeMs >= this.limit))
      this.racy = true;
  }

  /** Selected path `index` was not opened: its lstat now, right after the reader's verdict. */
  recordUnopened(index: number): void {
    if (!this.recorded[index]) this.record(index, this.lstat(index));
  }

  private lstat(index: number): Lstat {
    return lstatOf(this.prefix + (this.paths[index] as string));
  }

  finish(): StatSnapshot {
    for (let i = 0; i < this.selected; i++) this.recordUnopened(i);
    const row = new Float64Array(rowWidth);
    for (let i = this.selected; i < this.paths.length && !this.racy; i++) {
      const stat = this.lstat(i);
      writeRow(stat, row, 0);
      if (typeof stat === "object" && stat.ctimeMs >= this.limit) this.racy = true;
      if (!sameRow(row, this.table, i * rowWidth)) this.racy = true;
    }
    return { paths: this.paths, table: this.table, racy: this.racy };
  }
}
