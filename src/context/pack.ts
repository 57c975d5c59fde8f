/**
 * `git spe context` as a function: select → filter → read → transform → count and scan (cached
 * by blob id, spread over cores) → fit → render. Progress goes to the logger after a second.
 */
import { usageError } from "../errors.ts";
import { assemble } from "./assemble.ts";
import { collectDiff, collectLog } from "./diff-log.ts";
import { loadIgnoreRules } from "./ignore-rules.ts";
import { createProgress } from "./progress.ts";
import { readAndAnalyze } from "./pack-read.ts";
import { describeFindings, secretScannerVersion } from "./secrets-version.ts";
import { hasSelector, selectFiles, type SelectorOptions } from "./select.ts";
import { ContextCache } from "./token-cache.ts";
import { addOutlines, mapLevels } from "./map-pack.ts";
import type { PackEnvironment, PackOptions, PackResult } from "./pack-types.ts";
import { joinChunks } from "./chunks.ts";
import type { PackedFile, SkippedFile } from "./types.ts";
import { lookUpPack, type PendingStore } from "./stored-pack.ts";

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
  const onFallback = (file: string, why: string) =>
    env.log.info(`context: ${file} is kept whole, not outlined: ${why}`);
  const read = await readAndAnalyze({
    env,
    options,
    wanted,
    skipped,
    cache,
    onFallback,
    progress,
    ...(store ? { store } : {}),
  });
  const { prepared, outlines } = read;
  phase("read, outline, count and scan");

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
      tokenized: read.counted,
      scanned: read.scanned,
      reused: false,
      ...(outlined !== undefined ? { outlined } : {}),
      ...(outlines ? { outlined: read.outlined } : {}),
      durationMs: Math.round(performance.now() - started),
    },
  };
}
