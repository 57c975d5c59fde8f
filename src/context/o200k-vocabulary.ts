/**
 * The o200k vocabulary for src/context/o200k.ts: gpt-tokenizer's rank list as one
 * open-addressing hash table over the tokens' UTF-8 bytes, its file format (dist/o200k.bin,
 * written by the build) and the lookups the counter makes.
 */
import fs from "node:fs";
import path from "node:path";
import { findSelfEntry } from "../config/self-entry.ts";
import { packageVersion } from "../util/package-version.ts";

/** Part of the cache key of every stored count: a change here must change the version. */
export const o200kCounterVersion = "o200k-count/1";

/** The vocabulary as typed arrays. */
export interface Vocabulary {
  /** Token bytes, back to back. */
  bytes: Uint8Array;
  /** Per rank: offset of its bytes in `bytes` (-1: no such token). */
  offsets: Int32Array;
  lengths: Uint16Array;
  /** Hash slots holding rank + 1 (0: empty); size a power of two. */
  slots: Int32Array;
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

/** gpt-tokenizer's own UTF-8 validity rule (utfUtil.isValidUTF8). */
function isValidUtf8(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const byte1 = b[i] as number;
    let numBytes: number;
    let codePoint: number;
    if (byte1 <= 127) {
      i++;
      continue;
    } else if ((byte1 & 224) === 192) {
      if (byte1 <= 193) return false;
      numBytes = 2;
      codePoint = byte1 & 31;
    } else if ((byte1 & 240) === 224) {
      numBytes = 3;
      codePoint = byte1 & 15;
    } else if ((byte1 & 248) === 240) {
      if (byte1 > 244) return false;
      numBytes = 4;
      codePoint = byte1 & 7;
    } else return false;
    if (i + numBytes > end) return false;
    for (let j = 1; j < numBytes; j++) {
      const byte = b[i + j] as number;
      if ((byte & 192) !== 128) return false;
      codePoint = (codePoint << 6) | (byte & 63);
    }
    if (numBytes === 3 && codePoint < 2048) return false;
    if (numBytes === 4 && codePoint < 65536) return false;
    if (codePoint >= 55296 && codePoint <= 57343) return false;
    if (codePoint > 1114111) return false;
    i += numBytes;
  }
  return true;
}

/**
 * Builds the table from gpt-tokenizer's rank list. Lookups must answer as gpt-tokenizer's do:
 * a string token is found by its UTF-8 bytes; a byte-array token only when its bytes are not
 * valid UTF-8 (gpt-tokenizer looks valid UTF-8 up as a string); a later duplicate wins.
 */
export function buildVocabulary(ranks: readonly (string | number[] | undefined)[]): Vocabulary {
  const encoder = new TextEncoder();
  const encoded: (Uint8Array | undefined)[] = new Array(ranks.length);
  let total = 0;
  for (let rank = 0; rank < ranks.length; rank++) {
    const value = ranks[rank];
    let bytes: Uint8Array | undefined;
    if (typeof value === "string") bytes = encoder.encode(value);
    else if (Array.isArray(value)) {
      bytes = Uint8Array.from(value);
      if (isValidUtf8(bytes, 0, bytes.length)) bytes = undefined;
    }
    encoded[rank] = bytes;
    if (bytes) total += bytes.length;
  }
  let size = 1;
  while (size < ranks.length * 2) size <<= 1;
  const vocab: Vocabulary = {
    bytes: new Uint8Array(total),
    offsets: new Int32Array(ranks.length).fill(-1),
    lengths: new Uint16Array(ranks.length),
    slots: new Int32Array(size),
  };
  let offset = 0;
  for (let rank = 0; rank < ranks.length; rank++) {
    const bytes = encoded[rank];
    if (!bytes) continue;
    vocab.bytes.set(bytes, offset);
    vocab.offsets[rank] = offset;
    vocab.lengths[rank] = bytes.length;
    offset += bytes.length;
    insert(vocab, rank);
  }
  return vocab;
}

/** The file the build writes next to the bundle (scripts/build.mjs): loading it takes ~5 ms. */
export const vocabularyFileName = "o200k.bin";
const magic = "git-spe o200k\n";

/** What the table was built from: a file built from another gpt-tokenizer is not used. */
export function vocabularySource(): string {
  return `${o200kCounterVersion} gpt-tokenizer@${packageVersion("gpt-tokenizer")}`;
}

/**
 * The file format: a 64-byte header (magic, source, four counts), then offsets, slots,
 * lengths and bytes, each 4-byte aligned.
 */
export function serializeVocabulary(vocab: Vocabulary, source: string): Buffer {
  const header = Buffer.alloc(64);
  const label = `${magic}${source}`;
  if (Buffer.byteLength(label) > 48) throw new Error(`vocabulary source too long: ${source}`);
  header.write(label, 0, "utf8");
  const counts = new Uint32Array(4);
  counts.set([vocab.offsets.length, vocab.slots.length, vocab.bytes.length, 0]);
  Buffer.from(counts.buffer).copy(header, 48);
  const pad = (buf: Buffer) => Buffer.concat([buf, Buffer.alloc((4 - (buf.length % 4)) % 4)]);
  const view = (a: ArrayBufferView) => pad(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return Buffer.concat([
    header,
    view(vocab.offsets),
    view(vocab.slots),
    view(vocab.lengths),
    view(vocab.bytes),
  ]);
}

/** The table in `data`, or undefined when it is not one built from `source`. */
export function parseVocabulary(data: Uint8Array, source: string): Vocabulary | undefined {
  if (data.length < 64) return undefined;
  const label = Buffer.from(data.buffer, data.byteOffset, 48).toString("utf8").replace(/\0+$/, "");
  if (label !== `${magic}${source}`) return undefined;
  // A copy with its own buffer: the views below need 4-byte alignment.
  const copy = new Uint8Array(data.length);
  copy.set(data);
  const [ranks, slotCount, byteCount] = new Uint32Array(copy.buffer, 48, 3) as unknown as number[];
  const aligned = (n: number) => n + ((4 - (n % 4)) % 4);
  let at = 64;
  const offsets = new Int32Array(copy.buffer, at, ranks as number);
  at += aligned(offsets.byteLength);
  const slots = new Int32Array(copy.buffer, at, slotCount as number);
  at += aligned(slots.byteLength);
  const lengths = new Uint16Array(copy.buffer, at, ranks as number);
  at += aligned(lengths.byteLength);
  if (at + (byteCount as number) > copy.length) return undefined;
  const bytes = new Uint8Array(copy.buffer, at, byteCount as number);
  return { bytes, offsets, lengths, slots };
}

let loaded: Vocabulary | undefined;

/**
 * The o200k table: from the file the build wrote beside the bundle when it matches the
 * installed gpt-tokenizer, else built from gpt-tokenizer's rank list (~150 ms, and ~90 MB of
 * transient memory, which is why the build writes the file).
 */
export async function loadVocabulary(): Promise<Vocabulary> {
  if (loaded) return loaded;
  const entry = findSelfEntry();
  if (entry.endsWith(".js")) {
    try {
      const data = fs.readFileSync(path.join(path.dirname(entry), vocabularyFileName));
      loaded = parseVocabulary(data, vocabularySource());
    } catch {
      // not built: fall through
    }
  }
  if (!loaded) {
    const { default: ranks } = await import("gpt-tokenizer/bpeRanks/o200k_base");
    loaded = buildVocabulary(ranks as (string | number[])[]);
  }
  return loaded;
}

function insert(vocab: Vocabulary, rank: number): void {
  const { bytes, offsets, lengths, slots } = vocab;
  const start = offsets[rank] as number;
  const length = lengths[rank] as number;
  let hash = fnvOffset;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ (bytes[start + i] as number), fnvPrime);
  const mask = slots.length - 1;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const held = slots[slot] as number;
    if (held === 0) {
      slots[slot] = rank + 1;
      return;
    }
    if (sameBytes(vocab, held - 1, bytes, start, length)) {
      slots[slot] = rank + 1; // a later duplicate wins, as in gpt-tokenizer's Map
      return;
    }
  }
}

function sameBytes(
  vocab: Vocabulary,
  rank: number,
  key: Uint8Array,
  start: number,
  length: number,
): boolean {
  if (vocab.lengths[rank] !== length) return false;
  const offset = vocab.offsets[rank] as number;
  const bytes = vocab.bytes;
  for (let i = 0; i < length; i++) if (bytes[offset + i] !== key[start + i]) return false;
  return true;
}

/** Rank of the token whose bytes are key[start, end), or -1. */
export function rankOfBytes(
  vocab: Vocabulary,
  key: Uint8Array,
  start: number,
  end: number,
): number {
  let hash = fnvOffset;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (key[i] as number), fnvPrime);
  const slots = vocab.slots;
  const mask = slots.length - 1;
  const length = end - start;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const held = slots[slot] as number;
    if (held === 0) return -1;
    if (sameBytes(vocab, held - 1, key, start, length)) return held - 1;
  }
}

/** Rank of the token spelled by the ASCII text[start, end), or -1. */
export function rankOfAscii(vocab: Vocabulary, text: string, start: number, end: number): number {
  let hash = fnvOffset;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), fnvPrime);
  const { slots, bytes, offsets, lengths } = vocab;
  const mask = slots.length - 1;
  const length = end - start;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const held = slots[slot] as number;
    if (held === 0) return -1;
    const rank = held - 1;
    if (lengths[rank] !== length) continue;
    const offset = offsets[rank] as number;
    let i = 0;
    while (i < length && bytes[offset + i] === text.charCodeAt(start + i)) i++;
    if (i === length) return rank;
  }
}
