/**
 * `git spe context` as a function: select → filter → read → transform → count and scan (cached
 * by blob id, spread over cores) → fit → render. Progress goes to the logger after a second.
 */
import type { Git } from "../git/exec.ts";
import { usageError } from "../errors.ts";
import { thousands } from "../util/thousands.ts";
import type { Logger } from "../log.ts";
import { createAnalysisPool } from "./pool.ts";
import { assemble } from "./assemble.ts";
import { collectDiff, collectLog } from "./diff-log.ts";
import { loadIgnoreRules } from "./ignore-rules.ts";
import { createProgress } from "./progress.ts";
import { prepareFile, type PreparedFile } from "./prepare.ts";
import { createFileReader, gitBlobId } from "./read.ts";
import type { ContextFormat } from "./render.ts";
import { describeFindings, secretScannerVersion } from "./secrets-version.ts";
import { hasSelector, selectFiles, type SelectorOptions } from "./select.ts";
import { ContextCache, textId } from "./token-cache.ts";
import type { Outliner } from "./outline.ts";
import type { OutlineCache } from "./outline-cache.ts";
import { joinChunks } from "./chunks.ts";
import type { Candidate, Chunk, PackedFile, SkippedFile } from "./types.ts";
import type { SelectWithPlugin } from "../plugins/selectors.ts";
import { lookUpPack, type PendingStore } from "./stored-pack.ts";

export interface PackEnvironment {
  /** Runs at the work tree root. */
  git: Git;
  toplevel: string;
  commonDir: string;
  /** Where the user ran the command (pathspecs and --stdin paths are relative to it). */
  cwd: string;
  signal: AbortSignal;
  log: Logger;
  /** Resolves `--select` selections through the plugins. */
  selectWithPlugin?: SelectWithPlugin;
}

export interface PackOptions {
  selectors: SelectorOptions;
  format: ContextFormat;
  budget?: number;
  removeComments?: boolean;
  removeEmptyLines?: boolean;
  /** Outlines of source files: function and method bodies left out (outline.ts). */
  compress?: boolean;
  /** With `budget`: every file at a level — whole, outline or path — by rank (map.ts). */
  map?: boolean;
  diff?: boolean;
  log?: number;
  maxFileBytes: number;
  exclude: readonly string[];
  /** Thread count override (benchmarks); default by work size. */
  threads?: number;
  /** Use the caches in the common git dir: blob-id counts and stored packs (default true). */
  cache?: boolean;
  /** Reuse and store whole packs (stored-pack.ts; default true, off when `cache` is). */
  reuse?: boolean;
}

export interface PackStats {
  selected: number;
  read: number;
  tokenized: number;
  scanned: number;
  /** The document is a stored pack, reused: its files were not read. */
  reused: boolean;
  /** Under `--map`, when outlines were needed: how many files were parsed (not in the cache). */
  outlined?: number;
  durationMs: number;
}

export interface PackResult {
  /** The whole document as one string (joined on first use). */
  readonly output: string;
  /** The document in parts, for writing without building one huge string. */
  chunks: readonly Chunk[];
  format: ContextFormat;
  files: PackedFile[];
  /** Every file not in the document, with the reason (ignored and budget included). */
  skipped: SkippedFile[];
  dropped: PackedFile[];
  totalTokens: number;
  stats: PackStats;
  /** Under `--map`: how many files, and their tokens, at each level. */
  levels?: MapLevels;
}

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
          "source files are outlines: the bodies of functions and methods have been left out, each replaced by a marker saying how many lines it had",
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
  // --compress: outlines through the shared outline cache (a text outlined before is not parsed).
  let outlineCache: OutlineCache | undefined;
  let outliner: Outliner | undefined;
  if (options.compress) {
    const { OutlineCache, cachedOutliner } = await import("./outline-cache.ts");
    outlineCache =
      options.cache === false ? OutlineCache.empty() : await OutlineCache.load(env.commonDir);
    const { loadOutliner } = await import("./outline.ts");
    outliner = cachedOutliner(await loadOutliner(wanted.map((c) => c.path)), outlineCache);
  }
  const onFallback = (file: string, why: string) =>
    env.log.info(`context: ${file} is kept whole, not outlined: ${why}`);
  const prepared: PreparedFile[] = [];
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
    const p = prepareFile(read, { ...options, outliner, onFallback });
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
    `context: ${countQueued.size} texts counted and ${scanQueued.size} scanned of ${prepared.length} files; ${threads} thread(s)`,
  );
  for (const result of results) {
    const p = prepared[result.index];
    if (!p) continue;
    if (result.tokens !== undefined) cache.setTokens(p.tokenId, result.tokens);
    if (result.secrets !== undefined) cache.setSecrets(p.file.blobId, result.secrets);
  }
  phase("count and scan");

  const files: PackedFile[] = [];
  for (const p of prepared) {
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

  // The map needs outlines only when the files do not all fit whole.
  let outlined: number | undefined;
  if (
    options.map &&
    !options.compress &&
    options.budget !== undefined &&
    files.reduce((sum, f) => sum + f.tokens + Math.ceil((3 * f.path.length + 40) / 3), 0) >
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
  await outlineCache?.save();
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
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/**
 * For the map: each source file's outline (when it leaves something out) with its exact count,
 * and the names it declares and uses. Counts go through the blob-id cache like the files'.
 */
async function addOutlines(
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
  const { loadOutliner, outlineLanguageOf } = await import("./outline.ts");
  const { OutlineCache } = await import("./outline-cache.ts");
  const outlines = options.useCache
    ? await OutlineCache.load(options.commonDir)
    : OutlineCache.empty();
  // The grammars are loaded only when some file's outline is not in the cache.
  let outliner: Outliner | undefined;
  let parsed = 0;
  const pool = createAnalysisPool({ signal: options.signal, threads: options.threads });
  const pending: { file: PackedFile; text: string; id: string }[] = [];
  const queued = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    if (i % 200 === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal.throwIfAborted();
    }
    const file = files[i] as PackedFile;
    if (!outlineLanguageOf(file.path)) continue;
    const content = file.content;
    const key = textId(content);
    let result = outlines.get(key, content);
    if (!result) {
      outliner ??= await loadOutliner(files.map((f) => f.path));
      result = outliner.outline(content, file.path, { symbols: true });
      if (!result) continue;
      outlines.set(key, content, result);
      parsed += 1;
    }
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
  return parsed;
}
