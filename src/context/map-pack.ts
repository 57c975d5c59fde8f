/**
 * The map's part of a pack (pack.ts, `--map`): outlines for the files that do not all fit whole,
 * their exact counts, and the levels the files ended at.
 */
import { thousands } from "../util/thousands.ts";
import { createAnalysisPool } from "./pool.ts";
import { gitBlobId } from "./read.ts";
import { outlineLanguageOf } from "./outline-languages.ts";
import type { OutlineResult } from "./outline.ts";
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
 * The outline cache's key for a file's text: its blob id, unless `--remove-comments` or
 * `--remove-empty-lines` changed what is packed (then the id of that text).
 */
const blobOf = (file: PackedFile) =>
  file.raw !== undefined && file.blobId !== undefined
    ? file.blobId
    : gitBlobId(Buffer.from(file.content));

/**
 * For the map: each source file's outline (when it leaves something out) with its exact count,
 * and the names it declares and uses. Outlines come from the outline cache, else are parsed on
 * the analysis pool, which counts them too; counts go through the blob-id cache like the files'.
 * Returns how many texts were parsed.
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
  const { OutlineCache } = await import("./outline-cache.ts");
  const outlines = options.useCache
    ? await OutlineCache.load(options.commonDir)
    : OutlineCache.empty();
  const pool = createAnalysisPool({ signal: options.signal, threads: options.threads });
  // Jobs by index: a file to outline (and count), or an outline from the cache to count.
  const jobs: { file: PackedFile; outline?: { text: string; id: string } }[] = [];
  const parsing = new Map<string, number>();
  const counting = new Set<string>();
  const twins: PackedFile[] = [];
  const withOutline = (file: PackedFile, result: OutlineResult, tokens?: number) => {
    if ("fallback" in result) return options.onFallback(file.path, result.fallback);
    if (result.symbols) file.symbols = result.symbols;
    if (result.text === file.content) return;
    const id = gitBlobId(Buffer.from(result.text));
    if (tokens !== undefined) cache.setTokens(id, tokens);
    const known = cache.getTokens(id);
    if (known !== undefined) file.outline = { content: result.text, tokens: known };
    else if (counting.has(id)) {
      // The same outline is being counted for another file: this one takes it at the end.
      twins.push(file);
    } else {
      counting.add(id);
      const index = jobs.push({ file, outline: { text: result.text, id } }) - 1;
      pool.submit({
        index,
        size: result.text.length,
        materialize: () => ({ index, text: result.text, count: true, scan: false }),
      });
    }
  };
  for (let i = 0; i < files.length; i++) {
    if (i % 200 === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal.throwIfAborted();
    }
    const file = files[i] as PackedFile;
    if (!outlineLanguageOf(file.path)) continue;
    const blob = blobOf(file);
    const known = outlines.get(blob, () => file.content, true);
    if (known) {
      withOutline(file, known);
      continue;
    }
    if (parsing.has(blob)) {
      twins.push(file);
      continue;
    }
    const index = jobs.push({ file }) - 1;
    parsing.set(blob, index);
    pool.submit({
      index,
      size: 3 * file.bytes,
      materialize: () => ({
        index,
        text: file.content,
        count: true,
        scan: false,
        outline: { path: file.path, symbols: true, countOnlyIfChanged: true },
      }),
    });
  }
  const { results } = await pool.finish();
  for (const r of results) {
    const job = jobs[r.index];
    if (!job) continue;
    if (job.outline) {
      if (r.tokens !== undefined) {
        cache.setTokens(job.outline.id, r.tokens);
        job.file.outline = { content: job.outline.text, tokens: r.tokens };
      }
    } else if (r.outline) {
      outlines.set(blobOf(job.file), job.file.content, r.outline);
      withOutline(job.file, r.outline, r.tokens);
    }
  }
  // Copies of a text parsed once, and cached outlines whose count came in later.
  for (const file of [...twins, ...jobs.filter((j) => j.outline).map((j) => j.file)]) {
    const result = outlines.get(blobOf(file), () => file.content, true);
    if (!result || "fallback" in result) continue;
    if (result.symbols) file.symbols = result.symbols;
    const tokens = cache.getTokens(gitBlobId(Buffer.from(result.text)));
    if (result.text !== file.content && tokens !== undefined)
      file.outline = { content: result.text, tokens };
  }
  await outlines.save();
  return parsing.size;
}
