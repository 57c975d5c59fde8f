/**
 * Reusing whole packs: a repeated pack of an unchanged selection reads no file at all.
 *
 * A pack is a function of its selection (each candidate's path, rank, selectors, old path,
 * mode, and whether .speignore or the config excludes it), its options, the code (build id,
 * tokenizer, secret rules), the work tree it comes from, and the bytes of the selected files.
 * All but the bytes hash to a key. The bytes are vouched for the way git's index vouches for
 * them: by stat data. Every selected path's stat (type, size, mtime, ctime, inode, device) and
 * every directory on the way to one (type, inode, device: a directory swapped for a symlink is
 * seen) must equal what they were when the stored pack was made; then its document is the
 * answer and nothing is read, counted, scanned or rendered.
 *
 * Racily clean files: stat data cannot tell a file that changed again within its timestamp's
 * clock tick from one that did not, nor a write that was still copying bytes when the pack read
 * them. So a pack is stored only when every selected path and directory was last changed at
 * least two seconds before the pack started, on the file system's own clock (the mtime of a
 * file created then), and every directory is still the same one when the pack ends. Each row
 * is taken no later than the read it vouches for (see {@link StatRecorder}). Any later change
 * leaves a newer ctime, and ctime cannot be set back. Packs with an unreadable file (a one-off
 * EIO, EMFILE) are not stored either.
 *
 * Stored on the second request: the first pack with a key only leaves a `<key>.seen` mark, the
 * next one stores its document, so one-off packs (a spec's context, named by its request) never
 * pay for writing one. Not stored or reused: packs with --diff or --log (they depend on HEAD and
 * the index too), and packs with the cache off. Files live in
 * `<commonDir>/spe/cache/packs/<key>.pack` (header, stat table, document); at most
 * {@link maxStored} of them and {@link maxStoredBytes} in all, the least recently used dropped
 * first. Written to a temp file and renamed into place, so a concurrent reader never sees a torn
 * file. Files a secret was found in are not in a document, so never in the store. Any failure to
 * store or load only means the pack is built.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildId } from "../version.ts";
import { vocabularySource } from "./o200k.ts";
import type { ContextFormat } from "./render.ts";
import { secretScannerVersion } from "./secrets-version.ts";
import type { Candidate, Chunk, PackedFile, SkippedFile } from "./types.ts";
import { writeChunksToFile } from "../util/write-chunks.ts";

export const maxStored = 8;
export const maxStoredBytes = 256 * 1024 * 1024;
/** Keys asked for once, remembered so the second request stores its pack. */
const maxMarks = 64;
const magic = Buffer.from("SPEPACK\u0001", "latin1");
const rowWidth = 6;

/** Everything besides the files' bytes that the document depends on. */
export interface PackIdentity {
  toplevel: string;
  /** Candidates in selection order, with whether the ignore rules keep each out. */
  candidates: readonly Candidate[];
  ignored: ReadonlySet<string>;
  format: ContextFormat;
  budget: number | undefined;
  removeComments: boolean;
  removeEmptyLines: boolean;
  maxFileBytes: number;
  description: string;
}

export function packKey(identity: PackIdentity): string {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify([
      "stored-pack/1",
      buildId,
      vocabularySource(),
      secretScannerVersion,
      identity.toplevel,
      identity.format,
      identity.budget ?? null,
      identity.removeComments,
      identity.removeEmptyLines,
      identity.maxFileBytes,
      identity.description,
    ]),
  );
  // One string, hashed once: 27,600 small updates cost more than the hashing.
  const parts: string[] = [];
  for (const c of identity.candidates) {
    parts.push(
      c.path,
      String(c.rank),
      c.selectedBy.join("\u0001"),
      c.oldPath ?? "",
      c.mode ?? "",
      identity.ignored.has(c.path) ? "1" : "0",
    );
  }
  hash.update(parts.join("\0"));
  return hash.digest("hex");
}

// ---------------------------------------------------------------- stat data

const kind = { missing: 0, file: 1, directory: 2, symlink: 3, other: 4, error: 5 } as const;

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

/** Writes one path's row at `at`: [kind, size, mtime, ctime, inode, device]; directories by identity only. */
function writeRow(stat: fs.Stats, table: Float64Array, at: number): void {
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

const lstatOf = (file: string): fs.Stats | "missing" | "error" => {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) ?? "missing";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOTDIR" ? "missing" : "error";
  }
};

function statRow(file: string, table: Float64Array, at: number): void {
  const stat = lstatOf(file);
  if (typeof stat === "object") return writeRow(stat, table, at);
  table.fill(0, at, at + rowWidth);
  table[at] = stat === "missing" ? kind.missing : kind.error;
}

/** `root/`: git's paths are clean and relative, so joining is concatenating (path.join costs 10 ms per 30,000). */
const under = (root: string) => (root.endsWith(path.sep) ? root : root + path.sep);

/** True when every path's stat data equals the table's; stops at the first difference. */
function statsMatch(root: string, paths: readonly string[], table: Float64Array): boolean {
  if (table.length !== paths.length * rowWidth) return false;
  const row = new Float64Array(rowWidth);
  const prefix = under(root);
  for (let i = 0; i < paths.length; i++) {
    statRow(prefix + (paths[i] as string), row, 0);
    for (let j = 0; j < rowWidth; j++) if (row[j] !== table[i * rowWidth + j]) return false;
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
 * How long before a pack starts a change must lie for stat data to vouch for the bytes: covers
 * work trees whose timestamps are coarser than the clock read (FAT rounds to two seconds) and a
 * write still copying its bytes when the pack starts (Linux stamps a write when it begins).
 */
export const racyMarginMs = 2000;

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

  constructor(root: string, dir: string, selected: readonly string[]) {
    this.paths = statPaths(selected);
    this.selected = selected.length;
    this.table = new Float64Array(this.paths.length * rowWidth);
    this.recorded = new Uint8Array(this.paths.length);
    this.prefix = under(root);
    // The file system's "now": the mtime of a file created now, next to where the pack will go.
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.tick-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      fs.writeFileSync(probe, "");
      this.limit = fs.statSync(probe).mtimeMs - racyMarginMs;
    } finally {
      fs.rmSync(probe, { force: true });
    }
    for (let i = this.selected; i < this.paths.length; i++) this.lstatRow(i);
  }

  /** The fstat of selected path `index`, taken before its bytes were read. */
  record(index: number, stat: fs.Stats): void {
    this.write(index, stat);
  }

  /** Selected path `index` was not opened: its lstat now, right after the reader's verdict. */
  recordUnopened(index: number): void {
    if (!this.recorded[index]) this.lstatRow(index);
  }

  private lstatRow(index: number): void {
    const stat = lstatOf(this.prefix + (this.paths[index] as string));
    if (typeof stat === "object") return this.write(index, stat);
    const at = index * rowWidth;
    this.table.fill(0, at, at + rowWidth);
    this.table[at] = stat === "missing" ? kind.missing : kind.error;
    this.recorded[index] = 1;
  }

  private write(index: number, stat: fs.Stats): void {
    writeRow(stat, this.table, index * rowWidth);
    this.recorded[index] = 1;
    // A directory's times are not compared later, but one that changed now is racy all the same.
    if (stat.mtimeMs >= this.limit || stat.ctimeMs >= this.limit) this.racy = true;
  }

  finish(): StatSnapshot {
    for (let i = 0; i < this.selected; i++) this.recordUnopened(i);
    const row = new Float64Array(rowWidth);
    for (let i = this.selected; i < this.paths.length && !this.racy; i++) {
      const stat = lstatOf(this.prefix + (this.paths[i] as string));
      if (typeof stat === "object") {
        writeRow(stat, row, 0);
        if (stat.ctimeMs >= this.limit) this.racy = true;
      } else {
        row.fill(0);
        row[0] = stat === "missing" ? kind.missing : kind.error;
      }
      for (let j = 0; j < rowWidth; j++)
        if (row[j] !== this.table[i * rowWidth + j]) this.racy = true;
    }
    return { paths: this.paths, table: this.table, racy: this.racy };
  }
}

// ---------------------------------------------------------------- the stored file

interface StoredFiles {
  /** Index of each file's candidate among the stored pack's selected (not ignored) candidates. */
  index: number[];
  tokens: number[];
  bytes: number[];
  blobIds: string[];
}

interface StoredHeader {
  key: string;
  format: ContextFormat;
  documentBytes: number;
  totalTokens: number;
  skipped: SkippedFile[];
  /** Where each kept file's content is in the document; `raw` 1: the file's bytes, BOM and all. */
  kept: StoredFiles & { offsets: number[]; lengths: number[]; raw: number[] };
  dropped: StoredFiles;
}

export interface ReusedPack {
  document: Buffer;
  files: PackedFile[];
  dropped: PackedFile[];
  skipped: SkippedFile[];
  totalTokens: number;
}

export function packsDir(commonDir: string): string {
  return path.join(commonDir, "spe", "cache", "packs");
}

const decoder = new TextDecoder();
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  for (
    let n;
    done < length && (n = fs.readSync(fd, buffer, done, length - done, position + done)) > 0;
  )
    done += n;
  if (done !== length) throw new Error("short read");
  return buffer;
}

export type PackLookup =
  | { reused: ReusedPack }
  /** Not reusable; `store`: asked for before, so store this one (see the module comment). */
  | { reused?: undefined; store: boolean };

/**
 * The stored pack for `key` when every selected path still has the stat data it had when the
 * pack was made. Otherwise whether to store the pack about to be built: yes when this key was
 * asked for before (a stored pack whose files changed, or a `.seen` mark); a first request
 * only leaves the mark. Unreadable or corrupt files count as absent.
 */
export function lookUpPack(
  dir: string,
  key: string,
  root: string,
  selected: readonly Candidate[],
): PackLookup {
  const file = path.join(dir, `${key}.pack`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    // no stored pack
  }
  if (fd === undefined) {
    const mark = path.join(dir, `${key}.seen`);
    if (fs.existsSync(mark)) return { store: true };
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(mark, "");
      prune(dir, "");
    } catch {
      // unwritable: nothing is stored either
    }
    return { store: false };
  }
  try {
    const head = readExactly(fd, 16, 0);
    if (!head.subarray(0, 8).equals(magic)) return { store: true };
    const headerBytes = head.readUInt32LE(8);
    const rows = head.readUInt32LE(12);
    const header = JSON.parse(readExactly(fd, headerBytes, 16).toString("utf8")) as StoredHeader;
    if (header.key !== key) return { store: true };
    const tableAt = align8(16 + headerBytes);
    const tableBytes = rows * rowWidth * 8;
    const raw = readExactly(fd, tableBytes, tableAt);
    const table = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + tableBytes));
    const paths = statPaths(selected.map((c) => c.path));
    if (!statsMatch(root, paths, table)) return { store: true };
    const document = readExactly(fd, header.documentBytes, tableAt + tableBytes);
    try {
      const now = new Date();
      fs.utimesSync(file, now, now); // recently used
    } catch {
      // another user's pack: reused all the same
    }
    return { reused: rebuild(header, document, selected) };
  } catch {
    return { store: true };
  } finally {
    fs.closeSync(fd);
  }
}

const align8 = (n: number) => (n + 7) & ~7;

/** Where a reused file's content comes from: the document, found on first use. */
interface ContentSource {
  contentOf(i: number): string;
}

/** A file of a reused pack: a class, not literals with getters (27,600 of those cost 20 ms). */
class ReusedFile implements PackedFile {
  readonly path: string;
  readonly oldPath?: string;
  readonly bytes: number;
  readonly tokens: number;
  readonly blobId: string;
  readonly rank: number;
  #content: string | undefined;

  constructor(
    candidate: Candidate,
    stored: StoredFiles,
    private readonly i: number,
    private readonly source: ContentSource,
  ) {
    this.path = candidate.path;
    if (candidate.oldPath) this.oldPath = candidate.oldPath;
    this.bytes = stored.bytes[i] as number;
    this.tokens = stored.tokens[i] as number;
    this.blobId = stored.blobIds[i] as string;
    this.rank = candidate.rank;
  }

  get content(): string {
    return (this.#content ??= this.source.contentOf(this.i));
  }
}

function rebuild(
  header: StoredHeader,
  document: Buffer,
  selected: readonly Candidate[],
): ReusedPack {
  let jsonFiles: { content: string }[] | undefined;
  const kept: ContentSource = {
    contentOf(i) {
      if (header.format === "json") {
        jsonFiles ??= (JSON.parse(decoder.decode(document)) as { files: { content: string }[] })
          .files;
        return (jsonFiles[i] as { content: string }).content;
      }
      const at = header.kept.offsets[i] as number;
      const text = document.subarray(at, at + (header.kept.lengths[i] as number));
      // A file's bytes lose a leading BOM in decoding, as when built; text already lost it.
      return (header.kept.raw[i] ? decoder : textDecoder).decode(text);
    },
  };
  const dropped: ContentSource = {
    contentOf() {
      throw new Error("a reused pack does not keep the content of files the budget dropped");
    },
  };
  const files = (stored: StoredFiles, source: ContentSource) =>
    stored.index.map((index, i) => new ReusedFile(selected[index] as Candidate, stored, i, source));
  return {
    document,
    files: files(header.kept, kept),
    dropped: files(header.dropped, dropped),
    skipped: header.skipped,
    totalTokens: header.totalTokens,
  };
}

export interface PackToStore {
  key: string;
  format: ContextFormat;
  chunks: readonly Chunk[];
  /** For xml and markdown: the chunk each kept file's content starts at. */
  contentAt: readonly number[];
  kept: readonly PackedFile[];
  dropped: readonly PackedFile[];
  skipped: readonly SkippedFile[];
  totalTokens: number;
  /** The selected (not ignored) candidates, in selection order. */
  selected: readonly Candidate[];
  snapshot: StatSnapshot;
}

/** Stores a pack (see the module comment); returns false when it was not stored. */
export function storePack(dir: string, pack: PackToStore): boolean {
  if (pack.snapshot.racy) return false;
  // "unreadable" may be a passing state (EIO, EMFILE), not a function of the stat data.
  if (pack.skipped.some((s) => s.reason === "unreadable")) return false;
  const indexOf = new Map(pack.selected.map((c, i) => [c.path, i]));
  const describe = (files: readonly PackedFile[]): StoredFiles => ({
    index: files.map((f) => indexOf.get(f.path) as number),
    tokens: files.map((f) => f.tokens),
    bytes: files.map((f) => f.bytes),
    blobIds: files.map((f) => f.blobId ?? ""),
  });
  if (pack.kept.some((f) => !indexOf.has(f.path)) || pack.dropped.some((f) => !indexOf.has(f.path)))
    return false;
  const buffers = pack.chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c));
  const chunkOffsets: number[] = [];
  let documentBytes = 0;
  for (const b of buffers) {
    chunkOffsets.push(documentBytes);
    documentBytes += b.length;
  }
  if (documentBytes > maxStoredBytes) return false;
  const offsets: number[] = [];
  const lengths: number[] = [];
  const raw: number[] = [];
  if (pack.format !== "json") {
    pack.kept.forEach((f, i) => {
      const at = pack.contentAt[i] as number;
      offsets.push(chunkOffsets[at] as number);
      // The file's bytes as they are, or its text (markdown, a transform: no BOM).
      const bytes = pack.chunks[at] === f.raw && f.raw !== undefined;
      lengths.push(bytes && f.raw ? f.raw.length : Buffer.byteLength(f.content));
      raw.push(bytes ? 1 : 0);
    });
  }
  const header: StoredHeader = {
    key: pack.key,
    format: pack.format,
    documentBytes,
    totalTokens: pack.totalTokens,
    skipped: [...pack.skipped],
    kept: { ...describe(pack.kept), offsets, lengths, raw },
    dropped: describe(pack.dropped),
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc(16);
  magic.copy(head, 0);
  head.writeUInt32LE(headerBytes.length, 8);
  head.writeUInt32LE(pack.snapshot.paths.length, 12);
  const padding = Buffer.alloc(align8(16 + headerBytes.length) - 16 - headerBytes.length);
  const table = Buffer.from(
    pack.snapshot.table.buffer,
    pack.snapshot.table.byteOffset,
    pack.snapshot.table.byteLength,
  );
  const file = path.join(dir, `${pack.key}.pack`);
  const temp = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeChunksToFile(temp, [head, headerBytes, padding, table, ...buffers]);
    fs.renameSync(temp, file);
  } catch {
    remove(temp);
    return false;
  }
  remove(path.join(dir, `${pack.key}.seen`));
  prune(dir, file);
  return true;
}

/** Removes a file if it can: the store never fails a pack. */
function remove(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // a directory, another user's file: left
  }
}

/**
 * Keeps the most recently used packs within the limits (`keep`, just written, stays) and the
 * newest {@link maxMarks} marks; removes temp and probe files a killed pack left an hour ago.
 * Never throws: what cannot be read or removed is left.
 */
function prune(dir: string, keep: string): void {
  const packs: { file: string; bytes: number; used: number }[] = [];
  const marks: { file: string; used: number }[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(file, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (!stat?.isFile()) continue;
    if (name.endsWith(".pack")) packs.push({ file, bytes: stat.size, used: stat.mtimeMs });
    else if (name.endsWith(".seen")) marks.push({ file, used: stat.mtimeMs });
    else if (
      (name.endsWith(".tmp") || name.startsWith(".tick-")) &&
      Date.now() - stat.mtimeMs > 3_600_000
    )
      remove(file);
  }
  packs.sort((a, b) => (a.file === keep ? -1 : b.file === keep ? 1 : b.used - a.used));
  let total = 0;
  packs.forEach((entry, i) => {
    total += entry.bytes;
    if (entry.file !== keep && (i >= maxStored || total > maxStoredBytes)) remove(entry.file);
  });
  marks.sort((a, b) => b.used - a.used);
  for (const mark of marks.slice(maxMarks)) remove(mark.file);
}
