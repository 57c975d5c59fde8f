import { createCounter, loadVocabulary, type CountTokens } from "./o200k.ts";

/**
 * o200k token counts, guarded against byte-pair encoding's slow path: BPE on one very long
 * pre-token chunk is quadratic (82,000 repeated letters, spaces or newlines take ~3 s here,
 * longer than thousands of ordinary files). Text whose whitespace and non-whitespace runs are
 * all shorter than `maxRun` is counted exactly in one call; longer runs are counted in slices
 * of `maxRun` characters, which can over-count by at most one token per slice boundary.
 *
 * Runs are found by a linear scan: the obvious regex, /\s{1024,}|\S{1024,}/, backtracks from
 * every position inside a long-but-not-too-long run and cost 3 s over a 116 MB corpus where
 * this scan costs 0.35 s.
 */
export const maxRun = 1024;

export type { CountTokens };

/**
 * The o200k counter (src/context/o200k.ts), loaded on first use. Counts equal gpt-tokenizer's
 * `countTokens(text, { disallowedSpecial: new Set() })`: a file's `<|endoftext|>` is plain text.
 */
let counter: CountTokens | undefined;
export async function loadTokenCounter(): Promise<CountTokens> {
  return (counter ??= createCounter(await loadVocabulary()));
}

/** JavaScript's \s, which the o200k pre-tokenizer pattern uses. */
function isWhitespace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const stride = maxRun / 2;

/**
 * [start, end) of every whitespace or non-whitespace run of at least `maxRun` characters.
 * Such a run covers two consecutive multiples of maxRun/2 with nothing of the other kind
 * between them, so only those stretches are scanned closely: ordinary text costs a few
 * characters per 512 instead of a look at every one.
 */
export function longRuns(text: string): [number, number][] {
  const runs: [number, number][] = [];
  const n = text.length;
  for (let m = 0; m + stride < n; m += stride) {
    const kind = isWhitespace(text.charCodeAt(m));
    let k = m + 1;
    while (k <= m + stride && isWhitespace(text.charCodeAt(k)) === kind) k++;
    if (k <= m + stride) continue;
    let start = m;
    while (start > 0 && isWhitespace(text.charCodeAt(start - 1)) === kind) start--;
    let end = m + stride + 1;
    while (end < n && isWhitespace(text.charCodeAt(end)) === kind) end++;
    if (end - start >= maxRun) runs.push([start, end]);
    // The next run starts at or after `end`.
    m = Math.ceil(end / stride) * stride - stride;
  }
  return runs;
}

export function countTokensGuarded(text: string, count: CountTokens): number {
  const runs = longRuns(text);
  if (runs.length === 0) return count(text);
  let total = 0;
  let start = 0;
  for (const [runStart, runEnd] of runs) {
    if (runStart > start) total += count(text.slice(start, runStart));
    for (let i = runStart; i < runEnd; i += maxRun)
      total += count(text.slice(i, Math.min(i + maxRun, runEnd)));
    start = runEnd;
  }
  if (start < text.length) total += count(text.slice(start));
  return total;
}
