/**
 * `git spe context` as a function: select → filter → read → transform → count and scan (cached
 * by blob id, spread over cores) → fit → render. Progress goes to the logger after a second.
 */
import { usageError } from "../errors.ts";
import { createAnalysisPool } from "./pool.ts";
import { assemble } from "./assemble.ts";
import { collectDiff, collectLog } from "./diff-log.ts";
import { loadIgnoreRules } from "./ignore-rules.ts";
import { createProgress } from "./progress.ts";
import { prepareFile, type PreparedFile } from "./prepare.ts";
import { createFileReader, type ReadFile } from "./read.ts";
import { outlineLanguageOf } from "./outline-languages.ts";
import type { OutlineResult } from "./outline.ts";
import { describeFindings, secretScannerVersion } from "./secrets-version.ts";
import { hasSelector, selectFiles, type SelectorOptions } from "./select.ts";
import { ContextCache } from "./token-cache.ts";
import { addOutlines, mapLevels } from "./map-pack.ts";
import type { PackEnvironment, PackOptions, PackResult } from "./pack-types.ts";
import { joinChunks } from "./chunks.ts";
import type { Candidate, PackedFile, SkippedFile } from "./types.ts";
import { lookUpPack, type PendingStore } from "./stored-pack.ts";

const decoder = new TextDecoder();

export type { PackEnvironment, PackOptions, PackResult, PackStats } from "./pack-types.ts";

/** Reasons the model is told about; ignored and budget-dropped files are simply absent. */
const shownToModel = new Set([
  "deleted",
  "binary",
  "too-large",
  "secret",
  "symlink",
  "submodule",
  "not-a-file",
  "unreadable",
]);

function describeSelection(selectors: SelectorOptions, transforms: string[]): string {
  const onlyAll =
    !hasSelector(selectors) ||
    (selectors.all && Object.values(selectors).filter(Boolean).length === 1);
  return onlyAll && transforms.length === 0 ? "the entire codebase" : "a selection of the codebase";
}

export async function packContext(env: PackEnvironment, options: PackOptions): Promise<PackResult> {
  const started = performance.now();
  const progress = createProgress(env.log, started);
  const { git, signal } = env;
  let phaseStart = started;
  const phase = (name: string) => {
    const now = performance.now();
    env.log.debug(`context: ${name} took ${Math.round(now - phaseStart)} ms`);
    phaseStart = now;
  };

  const { candidates, branchFrom } = await selectFiles(env, options.selectors);
  const isIgnored = await loadIgnoreRules(env.toplevel, options.exclude);
  const skipped: SkippedFile[] = [];
  const wanted = candidates.filter((c) => {
    if (!isIgnored(c.path)) return true;
    skipped.push({ path: c.path, reason: "ignored" });
    return false;
  });

  phase(`select (${candidates.length} candidates)`);

  if (options.map && options.budget === undefined)
    throw usageError("--map places files under a budget: give --budget N too", {
      hint: "git spe context --budget 200000 --map",
    });
  const processing = [
    ...(options.compress
      ? [
          "source files are outlines: the bodies of functions and methods, long literal values and initializers, and examples in doc comments have been left out, each replaced by a marker (… and how many lines it had); comments that document nothing have been removed",
        ]
      : []),
    ...(options.removeComments ? ["comments have been removed"] : []),
    ...(options.removeEmptyLines ? ["empty lines have been removed"] : []),
  ];
  const description = describeSelection(options.selectors, processing);
  // --diff and --log depend on HEAD and the index, not only on the files: never reused. Nor is a
  // map (a stored pack does not keep the files' levels; its counts still come from the cache).
  const reuse =
    options.cache !== false &&
    options.reuse !== false &&
    !options.diff &&
    !options.log &&
    !options.map;
  let store: PendingStore | undefined;
  if (reuse) {
    const lookup = lookUpPack(
      env.commonDir,
      {
        toplevel: env.toplevel,
        candidates,
        ignored: new Set(skipped.map((s) => s.path)),
        format: options.format,
        budget: options.budget,
        removeComments: options.removeComments === true,
        compress: options.compress === true,
        map: options.map === true,
        removeEmptyLines: options.removeEmptyLines === true,
        maxFileBytes: options.maxFileBytes,
        description,
      },
      wanted,
      env.log,
      started,
    );
    phase(
      `look up a stored pack (${lookup.reused ? "reused" : lookup.pending ? "will store" : "first request"})`,
    );
    if (lookup.reused) return lookup.reused;
    store = lookup.pending;
  }

  const cache =
    options.cache === false
      ? ContextCache.empty(secretScannerVersion)
      : await ContextCache.load(env.commonDir, secretScannerVersion);
  const pool = createAnalysisPool({
    signal,
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
  const onFallback = (file: string, why: string) =>
    env.log.info(`context: ${file} is kept whole, not outlined: ${why}`);
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
      signal.throwIfAborted();
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
  phase(`read (${prepared.length} files)`);
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
      prepared[result.index] = prepareFile(read, options, result.outline);
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
  phase("outline, count and scan");

  const files: PackedFile[] = [];
  for (const p of prepared) {
    if (!p) continue;
    const findings = cache.getSecrets(p.file.blobId) ?? [];
    if (findings.length > 0) {
      skipped.push({
        path: p.file.candidate.path,
        reason: "secret",
        detail: describeFindings(findings),
      });
      continue;
    }
    files.push(p.toPackedFile(cache.getTokens(p.tokenId) ?? 0));
  }

  // The map needs outlines only when the files do not all fit whole (an estimate: each file's
  // wrapper and its line in the tree, and the frame's fixed part, about 300 tokens).
  let outlined: number | undefined;
  if (
    options.map &&
    !options.compress &&
    options.budget !== undefined &&
    files.reduce((sum, f) => sum + f.tokens + Math.ceil((3 * f.path.length + 40) / 3), 400) >
      options.budget * 0.9
  ) {
    progress.update("outlining what does not fit whole");
    outlined = await addOutlines(files, cache, {
      commonDir: env.commonDir,
      useCache: options.cache !== false,
      signal,
      threads: options.threads,
      onFallback,
    });
    phase("outline");
  }

  let diff: string | undefined;
  if (options.diff) {
    progress.update("collecting the diff");
    const collected = await collectDiff(
      git,
      { staged: options.selectors.staged, modified: options.selectors.modified, branchFrom },
      new Set(files.map((f) => f.path)),
    );
    diff = collected.text;
    skipped.push(...collected.withheld);
  }
  const log = options.log ? await collectLog(git, options.log) : undefined;

  progress.update("rendering");
  const assembled = await assemble(
    {
      format: options.format,
      files,
      budget: options.budget,
      map: options.map === true && !options.compress,
      warn: (text: string) => env.log.warn(text),
      cache,
      notices: skipped.filter((s) => shownToModel.has(s.reason)),
      description,
      processing,
      ...(diff !== undefined ? { diff } : {}),
      ...(log !== undefined ? { log } : {}),
    },
    skipped,
  );
  phase("render and fit");
  await cache.save();
  await outlines?.save();
  const chunks = store ? store.save(options.format, assembled, env.log) : assembled.chunks;
  phase("save caches");
  progress.done();
  let joined: string | undefined;
  return {
    get output() {
      return (joined ??= joinChunks(chunks));
    },
    chunks,
    format: options.format,
    files: assembled.kept,
    skipped: assembled.skipped,
    dropped: assembled.dropped,
    totalTokens: assembled.totalTokens,
    ...(options.map && !options.compress
      ? { levels: mapLevels(assembled.kept, assembled.dropped) }
      : {}),
    stats: {
      selected: candidates.length,
      read: prepared.length,
      tokenized: countQueued.size,
      scanned: scanQueued.size,
      reused: false,
      ...(outlined !== undefined ? { outlined } : {}),
      ...(outlines ? { outlined: outlineQueued.size } : {}),
      durationMs: Math.round(performance.now() - started),
    },
  };
}
