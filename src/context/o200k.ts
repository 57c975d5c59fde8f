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
import { rankOfAscii, rankOfBytes, type Vocabulary } from "./o200k-vocabulary.ts";

export {
  buildVocabulary,
  loadVocabulary,
  o200kCounterVersion,
  parseVocabulary,
  serializeVocabulary,
  vocabularyFileName,
  vocabularySource,
  type Vocabulary,
} from "./o200k-vocabulary.ts";

const o200kPattern = String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

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
