/**
 * o200k token counts with gpt-tokenizer, guarded against its slow path: BPE on one very long
 * pre-token chunk is quadratic (82,000 repeated letters, spaces or newlines take ~3 s here,
 * longer than thousands of ordinary files). Text whose whitespace and non-whitespace runs are
 * all shorter than `maxRun` is counted exactly in one call; longer runs are counted in slices
 * of `maxRun` characters, which can over-count by at most one token per slice boundary.
 */
export const maxRun = 1024;
const longRun = new RegExp(`\\s{${maxRun},}|\\S{${maxRun},}`, "g");

export type CountTokens = (text: string) => number;

/** Special-token markers in a file (`<|endoftext|>` in a tokenizer's tests) are plain text. */
const ordinaryText = { disallowedSpecial: new Set<string>() };

/** The o200k encoder, loaded on first use: importing it costs ~150 ms and ~70 MB. */
export async function loadTokenCounter(): Promise<CountTokens> {
  const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
  // gpt-tokenizer throws on special tokens by default; an API tokenizes user text as ordinary.
  return (text) => countTokens(text, ordinaryText);
}

export function countTokensGuarded(text: string, count: CountTokens): number {
  longRun.lastIndex = 0;
  if (!longRun.test(text)) return count(text);
  longRun.lastIndex = 0;
  let total = 0;
  let start = 0;
  for (const match of text.matchAll(longRun)) {
    if (match.index > start) total += count(text.slice(start, match.index));
    const run = match[0];
    for (let i = 0; i < run.length; i += maxRun) total += count(run.slice(i, i + maxRun));
    start = match.index + run.length;
  }
  if (start < text.length) total += count(text.slice(start));
  return total;
}
