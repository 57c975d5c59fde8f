/**
 * The reading part of a pack (pack.ts): each selected file read, and what the caches do not
 * know handed to the analysis pool while reading goes on — token counts, secret scans and,
 * with `--compress`, outlines (a text outlined before comes from the outline cache). One job
 * per distinct text: identical files (same blob id) are counted, scanned and outlined once.
 */
import { createAnalysisPool } from "./pool.ts";
import { outlineLanguageOf } from "./outline-languages.ts";
import type { OutlineCache } from "./outline-cache.ts";
import type { OutlineResult } from "./outline.ts";
import type { PackEnvironment, PackOptions } from "./pack-types.ts";
import { prepareFile, type PreparedFile } from "./prepare.ts";
import type { Progress } from "./progress.ts";
import { createFileReader, type ReadFile } from "./read.ts";
import type { PendingStore } from "./stored-pack.ts";
import type { ContextCache } from "./token-cache.ts";
import type { Candidate, SkippedFile } from "./types.ts";

const decoder = new TextDecoder();

export interface ReadFiles {
  /** The files read, in selection order, ready to pack. */
  prepared: PreparedFile[];
  /** `--compress`'s outline cache, to save once the pack is done. */
  outlines: OutlineCache | undefined;
  /** Distinct texts counted, outlined and scanned (not found in the caches). */
  counted: number;
  outlined: number;
  scanned: number;
}

export async function readAndAnalyze(args: {
  env: PackEnvironment;
  options: PackOptions;
  wanted: readonly Candidate[];
  /** Files not read (deleted, binary, …) are added here. */
  skipped: SkippedFile[];
  cache: ContextCache;
  onFallback: (file: string, why: string) => void;
  progress: Progress;
  store?: PendingStore;
}): Promise<ReadFiles> {
  const { env, options, wanted, skipped, cache, onFallback, progress, store } = args;
  const pool = createAnalysisPool({
    signal: env.signal,
    threads: options.threads,
    onBatch: (done, queued) =>
      progress.update(
        `counting tokens and scanning for secrets: ${done} batches done, ${queued} queued`,
      ),
  });

  // Read, and hand what the cache does not know to the pool while reading goes on. One job per
  // distinct text: identical files (same blob id) are counted and scanned once.
  const reader = createFileReader(env.toplevel, options.maxFileBytes);
  // --compress: outlines through the outline cache (a text outlined before is not parsed); the
  // others are parsed on the pool, which then counts the outline.
  const outlines = options.compress
    ? await (async () => {
        const { OutlineCache } = await import("./outline-cache.ts");
        return options.cache === false
          ? OutlineCache.empty()
          : await OutlineCache.load(env.commonDir);
      })()
    : undefined;
  const fallbacks: { index: number; path: string; why: string }[] = [];
  // Prepared files in selection order; a file waiting for its outline is a hole until then.
  const prepared: (PreparedFile | undefined)[] = [];
  const awaitingOutline = new Map<number, ReadFile>();
  const outlineQueued = new Map<string, number>();
  const countQueued = new Set<string>();
  const scanQueued = new Set<string>();
  for (let i = 0; i < wanted.length; i++) {
    if (i % 500 === 0) {
      progress.update(`reading ${i}/${wanted.length} files`);
      await new Promise((resolve) => setImmediate(resolve));
      env.signal.throwIfAborted();
    }
    const read = reader.read(
      wanted[i] as Candidate,
      store && ((stat) => store.stats.record(i, stat)),
    );
    // Not opened (deleted, a symlink, …): its stat right after the verdict.
    store?.stats.recordUnopened(i);
    if (!("buffer" in read)) {
      skipped.push(read);
      continue;
    }
    const path = read.candidate.path;
    let outline: OutlineResult | undefined;
    if (outlines && outlineLanguageOf(path)) {
      outline = outlines.get(read.blobId, () => decoder.decode(read.buffer));
      if (outline && "fallback" in outline)
        fallbacks.push({ index: prepared.length, path, why: outline.fallback });
      if (!outline) {
        const index = prepared.push(undefined) - 1;
        awaitingOutline.set(index, read);
        // The same text elsewhere waits for this one's outline.
        if (outlineQueued.has(read.blobId)) continue;
        outlineQueued.set(read.blobId, index);
        const scan = cache.getSecrets(read.blobId) === undefined && !scanQueued.has(read.blobId);
        if (scan) scanQueued.add(read.blobId);
        pool.submit({
          index,
          size: 3 * read.buffer.length,
          materialize: () => ({
            index,
            text: decoder.decode(read.buffer),
            count: true,
            scan,
            outline: {
              path,
              symbols: false,
              removeComments: options.removeComments,
              removeEmptyLines: options.removeEmptyLines,
            },
          }),
        });
        continue;
      }
    }
    const p = prepareFile(read, options, outline);
    const index = prepared.push(p) - 1;
    const needCount = cache.getTokens(p.tokenId) === undefined && !countQueued.has(p.tokenId);
    const needScan = cache.getSecrets(read.blobId) === undefined && !scanQueued.has(read.blobId);
    if (!needCount && !needScan) continue;
    if (needCount) countQueued.add(p.tokenId);
    if (needScan) scanQueued.add(read.blobId);
    pool.submit({
      index,
      size: (needCount ? read.buffer.length : 0) + (needScan ? read.buffer.length / 4 : 0),
      materialize: () => ({
        index,
        text: p.rawText(),
        ...(needCount && p.transformed !== undefined ? { transformed: p.transformed } : {}),
        count: needCount,
        scan: needScan,
      }),
    });
  }
  env.log.debug(`context: read ${prepared.length} files`);
  const { results, threads } = await pool.finish();
  env.log.debug(
    `context: ${countQueued.size} texts counted, ${outlineQueued.size} outlined and ${scanQueued.size} scanned of ${prepared.length} files; ${threads} thread(s)`,
  );
  for (const result of results) {
    const read = awaitingOutline.get(result.index);
    if (read && outlines && result.outline) {
      // Outlined on the pool: cached, then prepared from it like a cached one.
      const text = decoder.decode(read.buffer);
      outlines.set(read.blobId, text, result.outline);
      if ("fallback" in result.outline)
        fallbacks.push({
          index: result.index,
          path: read.candidate.path,
          why: result.outline.fallback,
        });
      prepared[result.index] = prepareFile(read, options, result.outline, text);
    }
    const p = prepared[result.index];
    if (!p) continue;
    if (result.tokens !== undefined) cache.setTokens(p.tokenId, result.tokens);
    if (result.secrets !== undefined) cache.setSecrets(p.file.blobId, result.secrets);
  }
  // Copies of a text outlined once.
  for (const [index, read] of awaitingOutline) {
    if (prepared[index] || !outlines) continue;
    const outline = outlines.get(read.blobId, () => decoder.decode(read.buffer));
    prepared[index] = prepareFile(read, options, outline);
  }
  for (const { path, why } of fallbacks.sort((a, b) => a.index - b.index)) onFallback(path, why);
  return {
    prepared: prepared.filter((p): p is PreparedFile => p !== undefined),
    outlines,
    counted: countQueued.size,
    outlined: outlineQueued.size,
    scanned: scanQueued.size,
  };
}
