/**
 * The stored pack's file, `<key>.pack` in the packs directory: a 16-byte head (magic, header
 * length, row count), the JSON header, the stat table (8-byte aligned), the document. Written to
 * a temp file and renamed into place; read with exact-length reads; pruned to the limits. See
 * stored-pack.ts for what is stored when, and why it can be trusted.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeChunksToFile } from "../util/write-chunks.ts";
import type { ContextFormat } from "./render.ts";
import { rowWidth, statPaths, statsMatch, type StatSnapshot } from "./stat-rows.ts";
import type { Candidate, PackedFile, SkippedFile } from "./types.ts";

export const maxStored = 8;
export const maxStoredBytes = 256 * 1024 * 1024;
/** Keys asked for once, remembered so the second request stores its pack. */
const maxMarks = 64;
const magic = Buffer.from("SPEPACK\u0001", "latin1");
export interface StoredFiles {
  /** Index of each file's candidate among the stored pack's selected (not ignored) candidates. */
  index: number[];
  tokens: number[];
  bytes: number[];
  blobIds: string[];
}

export interface StoredHeader {
  key: string;
  format: ContextFormat;
  documentBytes: number;
  totalTokens: number;
  skipped: SkippedFile[];
  /** Where each kept file's content is in the document; `raw` 1: the file's bytes, BOM and all. */
  kept: StoredFiles & { offsets: number[]; lengths: number[]; raw: number[] };
  dropped: StoredFiles;
}

export function packsDir(commonDir: string): string {
  return path.join(commonDir, "spe", "cache", "packs");
}

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

export type StoredLookup =
  | { header: StoredHeader; document: Buffer }
  /** None reusable; `store`: asked for before, so store this one (see the module comment). */
  | { header?: undefined; store: boolean };

/**
 * The stored pack for `key` when every selected path still has the stat data it had when the
 * pack was made. Otherwise whether to store the pack about to be built: yes when this key was
 * asked for before (a stored pack whose files changed, or a `.seen` mark); a first request
 * only leaves the mark. Unreadable or corrupt files count as absent.
 */
export function readStored(
  dir: string,
  key: string,
  root: string,
  selected: readonly Candidate[],
): StoredLookup {
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
    return { header, document };
  } catch {
    return { store: true };
  } finally {
    fs.closeSync(fd);
  }
}

const align8 = (n: number) => (n + 7) & ~7;

export interface PackToStore {
  key: string;
  format: ContextFormat;
  chunks: readonly Uint8Array[];
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
  const buffers = pack.chunks;
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
