/**
 * `git spe context` as a function: select → filter → read → transform → count and scan (cached
 * by blob id, spread over cores) → fit → render. Progress goes to the logger after a second.
 */
import type { Git } from "../git/exec.ts";
import type { Logger } from "../log.ts";
import { analyze } from "./pool.ts";
import { assemble } from "./assemble.ts";
import { mergeBase, resolveBranchBase } from "./branch-base.ts";
import { collectDiff, collectLog } from "./diff-log.ts";
import { loadIgnoreRules } from "./ignore-rules.ts";
import { createProgress } from "./progress.ts";
import { gitBlobId, readCandidates } from "./read.ts";
import type { ContextFormat } from "./render.ts";
import { removeComments, removeEmptyLines } from "./remove-comments.ts";
import { describeFindings, secretScannerVersion } from "./secrets-version.ts";
import { hasSelector, selectFiles, type SelectorOptions } from "./select.ts";
import { ContextCache } from "./token-cache.ts";
import type { PackedFile, SkippedFile } from "./types.ts";

export interface PackEnvironment {
  /** Runs at the work tree root. */
  git: Git;
  toplevel: string;
  commonDir: string;
  /** Where the user ran the command (pathspecs and --stdin paths are relative to it). */
  cwd: string;
  signal: AbortSignal;
  log: Logger;
}

export interface PackOptions {
  selectors: SelectorOptions;
  format: ContextFormat;
  budget?: number;
  removeComments?: boolean;
  removeEmptyLines?: boolean;
  diff?: boolean;
  log?: number;
  maxFileBytes: number;
  exclude: readonly string[];
  /** Thread count override (benchmarks); default by work size. */
  threads?: number;
  /** Use the blob-id cache in the common git dir (default true). */
  cache?: boolean;
}

export interface PackStats {
  selected: number;
  read: number;
  tokenized: number;
  scanned: number;
  durationMs: number;
}

export interface PackResult {
  output: string;
  format: ContextFormat;
  files: PackedFile[];
  /** Every file not in the document, with the reason (ignored and budget included). */
  skipped: SkippedFile[];
  dropped: PackedFile[];
  totalTokens: number;
  stats: PackStats;
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

  const candidates = await selectFiles(env, options.selectors);
  const isIgnored = await loadIgnoreRules(env.toplevel, options.exclude);
  const skipped: SkippedFile[] = [];
  const wanted = candidates.filter((c) => {
    if (!isIgnored(c.path)) return true;
    skipped.push({ path: c.path, reason: "ignored" });
    return false;
  });

  let readCount = 0;
  const read = await readCandidates(env.toplevel, wanted, {
    maxFileBytes: options.maxFileBytes,
    signal,
    onFile: () => progress.update(`reading ${++readCount}/${wanted.length} files`),
  });
  skipped.push(...read.skipped);

  const cache =
    options.cache === false
      ? ContextCache.empty(secretScannerVersion)
      : await ContextCache.load(env.commonDir, secretScannerVersion);
  const decoder = new TextDecoder();
  const prepared = read.files.map((file) => {
    const raw = decoder.decode(file.buffer);
    let text = options.removeComments ? removeComments(raw, file.candidate.path) : raw;
    if (options.removeEmptyLines) text = removeEmptyLines(text);
    const tokenId = text === raw ? file.blobId : gitBlobId(Buffer.from(text));
    return { file, raw, text, tokenId, bytes: file.buffer.length };
  });
  for (const file of read.files) (file as { buffer?: Buffer }).buffer = undefined; // free early

  const jobs = prepared.flatMap((p, index) => {
    const countText = cache.getTokens(p.tokenId) === undefined ? p.text : undefined;
    const scanText = cache.getSecrets(p.file.blobId) === undefined ? p.raw : undefined;
    return countText === undefined && scanText === undefined
      ? []
      : [{ index, countText, scanText }];
  });
  const { results, threads } = await analyze(jobs, {
    signal,
    threads: options.threads,
    onBatch: (done, total) =>
      progress.update(`counting tokens and scanning for secrets: batch ${done}/${total}`),
  });
  env.log.debug(
    `context: ${jobs.length} of ${prepared.length} files needed counting or scanning; ${threads} thread(s)`,
  );
  for (const result of results) {
    const p = prepared[result.index];
    if (!p) continue;
    if (result.tokens !== undefined) cache.setTokens(p.tokenId, result.tokens);
    if (result.secrets !== undefined) cache.setSecrets(p.file.blobId, result.secrets);
  }

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
    files.push({
      path: p.file.candidate.path,
      ...(p.file.candidate.oldPath ? { oldPath: p.file.candidate.oldPath } : {}),
      content: p.text,
      bytes: p.bytes,
      tokens: cache.getTokens(p.tokenId) ?? 0,
      rank: p.file.candidate.rank,
    });
  }

  let diff: string | undefined;
  if (options.diff) {
    progress.update("collecting the diff");
    const { branch } = options.selectors;
    const branchFrom =
      branch === undefined
        ? undefined
        : await mergeBase(git, await resolveBranchBase(git, branch || undefined));
    const collected = await collectDiff(
      git,
      { staged: options.selectors.staged, modified: options.selectors.modified, branchFrom },
      new Set(files.map((f) => f.path)),
    );
    diff = collected.text;
    skipped.push(...collected.withheld);
  }
  const log = options.log ? await collectLog(git, options.log) : undefined;

  const processing = [
    ...(options.removeComments ? ["comments have been removed"] : []),
    ...(options.removeEmptyLines ? ["empty lines have been removed"] : []),
  ];
  progress.update("rendering");
  const assembled = await assemble(
    {
      format: options.format,
      files,
      budget: options.budget,
      cache,
      notices: skipped.filter((s) => shownToModel.has(s.reason)),
      description: describeSelection(options.selectors, processing),
      processing,
      ...(diff !== undefined ? { diff } : {}),
      ...(log !== undefined ? { log } : {}),
    },
    skipped,
  );
  await cache.save();
  progress.done();
  return {
    output: assembled.output,
    format: options.format,
    files: assembled.kept,
    skipped: [
      ...skipped,
      ...assembled.dropped.map((f): SkippedFile => ({
        path: f.path,
        reason: "budget",
        detail: `${f.tokens} tokens`,
      })),
    ],
    dropped: assembled.dropped,
    totalTokens: assembled.totalTokens,
    stats: {
      selected: candidates.length,
      read: read.files.length,
      tokenized: jobs.filter((j) => j.countText !== undefined).length,
      scanned: jobs.filter((j) => j.scanText !== undefined).length,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
