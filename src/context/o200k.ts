/**
 * o200k token counting without gpt-tokenizer's encoder object: the same vocabulary (its
 * `bpeRanks/o200k_base` table) and the same pre-tokenizer pattern, in a form built for counting
 * large amounts of source code.
 *
 * - The vocabulary is one open-addressing hash table over the tokens' UTF-8 bytes (typed arrays,
 *   ~5 MB) instead of a 200,000-entry Map of strings (~70 MB with the rest of the encoder).
 * - ASCII text is split by a hand-written scanner equivalent to the o200k pattern restricted
 *   to ASCII, and each piece is looked up by hashing its characters in place, so a piece that
 *   is a token (nearly all of them in source code) costs no string, no regex match and no Map
 *   lookup. Wherever the scanner would
 *   have to look at a non-ASCII character it hands that one piece to the pattern itself (a
 *   sticky copy of gpt-tokenizer's regex), so Unicode text splits exactly as before.
 * - Pieces that are not tokens are merged byte-pair-wise exactly as gpt-tokenizer does
 *   (lowest rank first, leftmost on ties), counts memoized per piece.
 *
 * Equality with gpt-tokenizer's `countTokens(text, { disallowedSpecial: new Set() })` is the
 * contract; test/unit/o200k.test.ts and test/integration/context-token-counts.test.ts check
 * it, and bench/tokenizer.mjs checks it file by file over a whole corpus.
 */
import fs from "node:fs";
import path from "node:path";
import { findSelfEntry } from "../config/self-entry.ts";
import { packageVersion } from "../util/package-version.ts";

/** Part of the cache key of every stored count: a change here must change the version. */
export const o200kCounterVersion = "o200k-count/1";

const o200kPattern = String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

/** The vocabulary as typed arrays; plain data, so it can live in a SharedArrayBuffer. */
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
function rankOfBytes(vocab: Vocabulary, key: Uint8Array, start: number, end: number): number {
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
function rankOfAscii(vocab: Vocabulary, text: string, start: number, end: number): number {
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

/**
 * Number of tokens byte-pair merging leaves of piece[0, length): gpt-tokenizer's bytePairMerge
 * (repeatedly merge the adjacent pair of lowest rank, the leftmost on ties). `starts` and
 * `ranks` are scratch space of at least length + 1 entries.
 */
function mergeCount(
  vocab: Vocabulary,
  piece: Uint8Array,
  length: number,
  starts: Int32Array,
  ranks: Float64Array,
): number {
  if (length <= 1) return length;
  // parts: starts[0..parts]; ranks[i] is the rank of parts i and i+1 joined.
  let parts = length;
  const rankAt = (i: number): number => {
    if (i + 2 > parts) return Infinity;
    const rank = rankOfBytes(vocab, piece, starts[i] as number, starts[i + 2] as number);
    return rank < 0 ? Infinity : rank;
  };
  for (let i = 0; i <= length; i++) starts[i] = i;
  for (let i = 0; i < length; i++) ranks[i] = rankAt(i);
  while (parts > 1) {
    let lowest = Infinity;
    let at = -1;
    for (let i = 0; i < parts - 1; i++) {
      const rank = ranks[i] as number;
      if (rank < lowest) {
        lowest = rank;
        at = i;
      }
    }
    if (at === -1) break;
    // Joining parts `at` and `at + 1`: drop the boundary between them.
    starts.copyWithin(at + 1, at + 2, parts + 1);
    ranks.copyWithin(at + 1, at + 2, parts);
    parts--;
    ranks[at] = rankAt(at);
    if (at > 0) ranks[at - 1] = rankAt(at - 1);
  }
  return parts;
}

// ASCII character classes of the o200k pattern.
const upper = 1; // \p{Lu}
const lower = 2; // \p{Ll}
const digit = 4; // \p{N}
const space = 8; // \s
const newline = 16; // [\r\n]
const other = 32; // [^\s\p{L}\p{N}]
const asciiClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 65 && c <= 90) asciiClass[c] = upper;
  else if (c >= 97 && c <= 122) asciiClass[c] = lower;
  else if (c >= 48 && c <= 57) asciiClass[c] = digit;
  else if (c === 10 || c === 13) asciiClass[c] = space | newline;
  else if (c === 9 || c === 11 || c === 12 || c === 32) asciiClass[c] = space;
  else asciiClass[c] = other;
}
/** [^\r\n\p{L}\p{N}]: the optional first character of a word piece. */
const prefix = space | other;

function isContraction(text: string, i: number): number {
  if (text.charCodeAt(i) !== 39) return 0;
  const a = text.charCodeAt(i + 1) | 32;
  if (a === 115 || a === 100 || a === 109 || a === 116) return 2; // s d m t
  const b = text.charCodeAt(i + 2) | 32;
  if ((a === 108 && b === 108) || (a === 118 && b === 101) || (a === 114 && b === 101)) return 3;
  return 0;
}

export type CountTokens = (text: string) => number;

// eslint-disable-next-line no-control-regex -- the ASCII range, not control characters
const nonAscii = /[^\x00-\x7f]/g;

/** A counter over `vocab`; each keeps its own memo of merged pieces. */
export function createCounter(vocab: Vocabulary): CountTokens {
  const pattern = new RegExp(o200kPattern, "uy");
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(4096);
  let starts = new Int32Array(4097);
  let ranks = new Float64Array(4097);
  const memo = new Map<string, number>();
  const maxMemo = 2_000_000;

  const countPiece = (piece: string): number => {
    const known = memo.get(piece);
    if (known !== undefined) return known;
    if (scratch.length < piece.length * 3) {
      scratch = new Uint8Array(piece.length * 3);
      starts = new Int32Array(scratch.length + 1);
      ranks = new Float64Array(scratch.length + 1);
    }
    const length = encoder.encodeInto(piece, scratch).written;
    const count =
      rankOfBytes(vocab, scratch, 0, length) >= 0
        ? 1
        : mergeCount(vocab, scratch, length, starts, ranks);
    if (memo.size >= maxMemo) memo.clear();
    memo.set(piece, count);
    return count;
  };

  return (text) => {
    const n = text.length;
    let total = 0;
    let i = 0;
    // The first index at or after i holding a non-ASCII character (n: none).
    const nextLimit = (from: number): number => {
      nonAscii.lastIndex = from;
      return nonAscii.test(text) ? nonAscii.lastIndex - 1 : n;
    };
    let limit = nextLimit(0);
    while (i < n) {
      if (i >= limit) limit = nextLimit(i);
      // The scanner may read text[i, limit) and must also know whether index `limit` is the
      // end of the text; any decision that needs a non-ASCII character goes to the pattern.
      const end = i < limit ? scanAscii(text, i, limit, n) : -1;
      if (end > 0) {
        // Every single character of ASCII is a token.
        total +=
          end - i === 1 || rankOfAscii(vocab, text, i, end) >= 0
            ? 1
            : countPiece(text.slice(i, end));
        i = end;
        continue;
      }
      pattern.lastIndex = i;
      const match = pattern.exec(text);
      // Every character matches one of the pattern's last alternatives; never empty.
      const piece = match ? match[0] : (text[i] as string);
      total += countPiece(piece);
      i += piece.length;
    }
    return total;
  };
}

/** The class of text[k], 0 at and past `limit` (non-ASCII or the end). */
function classAt(text: string, k: number, limit: number): number {
  return k < limit ? (asciiClass[text.charCodeAt(k)] as number) : 0;
}

/** Whether text[k] is needed but not ASCII: the pattern must decide (k === n is the end). */
function undecided(k: number, limit: number, n: number): boolean {
  return k >= limit && k < n;
}

/**
 * End of the o200k piece starting at i, decided from text[i, limit) alone (limit is the first
 * non-ASCII index, or n); -1 when the decision needs text[limit] and limit < n.
 */
function scanAscii(text: string, i: number, limit: number, n: number): number {
  const c = asciiClass[text.charCodeAt(i)] as number;
  // 1. [^\r\n\p{L}\p{N}]?\p{Lu}*\p{Ll}+('s|…)?   2. [^\r\n\p{L}\p{N}]?\p{Lu}+\p{Ll}*('s|…)?
  if (c & (prefix | upper | lower)) {
    let j = c & prefix ? i + 1 : i;
    if (undecided(j, limit, n)) return -1;
    const first = classAt(text, j, limit);
    if (first & (upper | lower)) {
      while (classAt(text, j, limit) & upper) j++;
      while (classAt(text, j, limit) & lower) j++;
      if (undecided(j, limit, n)) return -1;
      const tail = isContraction(text, j);
      if (tail && j + tail > limit) return -1;
      return j + tail;
    }
    // With a prefix and no letter after it, neither word alternative matches here.
  }
  // 3. \p{N}{1,3}
  if (c & digit) {
    let j = i + 1;
    while (j < i + 3 && classAt(text, j, limit) & digit) j++;
    if (j < i + 3 && undecided(j, limit, n)) return -1;
    return j;
  }
  // 4.  ?[^\s\p{L}\p{N}]+[\r\n/]*
  if (c & other || (c === space && text.charCodeAt(i) === 32)) {
    let j = c & other ? i : i + 1;
    if (classAt(text, j, limit) & other) {
      while (classAt(text, j, limit) & other) j++;
      while (classAt(text, j, limit) & newline || text.charCodeAt(j) === 47) j++;
      if (undecided(j, limit, n)) return -1;
      return j;
    }
    if (undecided(j, limit, n)) return -1;
  }
  if (c & space) {
    let w = i;
    let lastNewline = -1;
    while (classAt(text, w, limit) & space) {
      if (classAt(text, w, limit) & newline) lastNewline = w;
      w++;
    }
    if (undecided(w, limit, n)) return -1;
    // 5. \s*[\r\n]+ : up to the last line break of the run
    if (lastNewline >= 0) return lastNewline + 1;
    // 6. \s+(?!\S) : the run, less its last character unless the text ends there
    if (w === n) return w;
    if (w - i >= 2) return w - 1;
    // 7. \s+
    return w;
  }
  return -1;
}
