/**
 * Outlines with the names each file declares and uses, for many files at once (a step's related
 * files, exec/related-outlines.ts): from the outline cache by blob id, the rest parsed on the
 * analysis pool's threads like a pack's; what was parsed goes into the cache, which the caller
 * saves. Identical texts are parsed once.
 */
import { outlineLanguageOf } from "./outline-languages.ts";
import type { OutlineCache } from "./outline-cache.ts";
import type { OutlineResult } from "./outline.ts";
import { createAnalysisPool } from "./pool.ts";

export interface TextToOutline {
  path: string;
  text: string;
  /** The git blob id of the file's bytes: the cache's key. */
  blobId: string;
}

export async function outlinesWithSymbols(
  cache: OutlineCache,
  files: readonly TextToOutline[],
  options: { signal?: AbortSignal; threads?: number } = {},
): Promise<{ outlines: (OutlineResult | undefined)[]; parsed: number }> {
  const outlines: (OutlineResult | undefined)[] = new Array<OutlineResult | undefined>(
    files.length,
  );
  const pool = createAnalysisPool({
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const parsing = new Set<string>();
  const twins: number[] = [];
  files.forEach((file, index) => {
    if (!outlineLanguageOf(file.path)) return;
    const known = cache.get(file.blobId, () => file.text, true);
    if (known) outlines[index] = known;
    else if (parsing.has(file.blobId)) twins.push(index);
    else {
      parsing.add(file.blobId);
      pool.submit({
        index,
        size: 3 * file.text.length,
        materialize: () => ({
          index,
          text: file.text,
          count: false,
          scan: false,
          outline: { path: file.path, symbols: true },
        }),
      });
    }
  });
  const { results } = await pool.finish();
  for (const result of results) {
    const file = files[result.index] as TextToOutline;
    if (!result.outline) continue;
    cache.set(file.blobId, file.text, result.outline);
    outlines[result.index] = result.outline;
  }
  // Copies of a text parsed once.
  for (const index of twins) {
    const file = files[index] as TextToOutline;
    outlines[index] = cache.get(file.blobId, () => file.text, true);
  }
  return { outlines, parsed: parsing.size };
}
