/**
 * The map's part of a pack (pack.ts, `--map`): outlines for the files that do not all fit whole,
 * their exact counts, and the levels the files ended at.
 */
import { thousands } from "../util/thousands.ts";
import { createAnalysisPool } from "./pool.ts";
import { gitBlobId } from "./read.ts";
import type { ContextCache } from "./token-cache.ts";
import type { PackedFile } from "./types.ts";

export interface MapLevels {
  whole: { files: number; tokens: number };
  outline: { files: number; tokens: number };
  /** Listed by path only; `tokens`: what they would have cost whole. */
  path: { files: number; tokens: number };
}

/** The levels of a map's files. */
export function mapLevels(kept: readonly PackedFile[], dropped: readonly PackedFile[]): MapLevels {
  const sum = (files: readonly PackedFile[]) => ({
    files: files.length,
    tokens: files.reduce((total, f) => total + f.tokens, 0),
  });
  return {
    whole: sum(kept.filter((f) => f.level !== "outline")),
    outline: sum(kept.filter((f) => f.level === "outline")),
    path: sum(dropped),
  };
}

/** "12 whole (3,400 tokens), 80 outlines (9,100 tokens), 400 by path only". */
export function describeLevels(levels: MapLevels): string {
  return `${levels.whole.files} whole (${thousands(levels.whole.tokens)} tokens), ${levels.outline.files} as outlines (${thousands(levels.outline.tokens)} tokens), ${levels.path.files} by path only`;
}

/**
 * For the map: each source file's outline (when it leaves something out) with its exact count,
 * and the names it declares and uses. Counts go through the blob-id cache like the files'.
 */
export async function addOutlines(
  files: PackedFile[],
  cache: ContextCache,
  options: {
    commonDir: string;
    useCache: boolean;
    signal: AbortSignal;
    threads?: number;
    onFallback: (file: string, why: string) => void;
  },
): Promise<number> {
  const { OutlineCache, lazyCachedOutliner } = await import("./outline-cache.ts");
  const outlines = options.useCache
    ? await OutlineCache.load(options.commonDir)
    : OutlineCache.empty();
  // The grammars are loaded only when some file's outline is not in the cache.
  const outliner = lazyCachedOutliner(
    outlines,
    files.map((f) => f.path),
  );
  const pool = createAnalysisPool({ signal: options.signal, threads: options.threads });
  const pending: { file: PackedFile; text: string; id: string }[] = [];
  const queued = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    if (i % 200 === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal.throwIfAborted();
    }
    const file = files[i] as PackedFile;
    const result = await outliner.outline(file.content, file.path);
    if (!result) continue;
    if ("fallback" in result) {
      options.onFallback(file.path, result.fallback);
      continue;
    }
    if (result.symbols) file.symbols = result.symbols;
    if (result.elidedLines === 0) continue;
    const outline = result.text;
    const id = gitBlobId(Buffer.from(outline));
    pending.push({ file, text: outline, id });
    if (cache.getTokens(id) !== undefined || queued.has(id)) continue;
    queued.add(id);
    const index = pending.length - 1;
    pool.submit({
      index,
      size: outline.length,
      materialize: () => ({ index, text: outline, count: true, scan: false }),
    });
  }
  const { results } = await pool.finish();
  for (const r of results) {
    const entry = pending[r.index];
    if (entry && r.tokens !== undefined) cache.setTokens(entry.id, r.tokens);
  }
  for (const { file, text, id } of pending) {
    const tokens = cache.getTokens(id);
    if (tokens !== undefined) file.outline = { content: text, tokens };
  }
  await outlines.save();
  return outliner.parsed();
}
