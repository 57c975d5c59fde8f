/**
 * The CPU-heavy part of a pack, runnable in this thread or in a worker: outlines (tree-sitter),
 * o200k token counts and secret scans for the texts the caches did not know. The encoder, the
 * scanner and the grammars are loaded only when there is work for them, so a warm pack loads
 * none of them.
 */
import type { OutlineResult } from "./outline.ts";
import { removeComments, removeEmptyLines } from "./remove-comments.ts";
import { countTokensGuarded, loadTokenCounter } from "./tokens.ts";
import type { SecretFinding } from "./types.ts";

/** Outline the text first (`--compress`, the map): what is counted is then the outline. */
export interface OutlineRequest {
  /** The file's path: its extension picks the grammar. */
  path: string;
  /** Also the names the file declares and uses (the map's graph). */
  symbols: boolean;
  /** Count only when the outline differs from the text (the text's own count is known). */
  countOnlyIfChanged?: boolean;
  /** Applied to the outline before counting, as `prepareFile` applies them (`--compress`). */
  removeComments?: boolean;
  removeEmptyLines?: boolean;
}

export interface AnalyzeJob {
  /** Caller's index for the result. */
  index: number;
  /** The file's text as on disk: what is scanned, and counted unless `transformed` is given. */
  text: string;
  /** The text after transforms, when they changed it: what is counted then. */
  transformed?: string;
  count: boolean;
  scan: boolean;
  outline?: OutlineRequest;
}

export interface AnalyzeResult {
  index: number;
  tokens?: number;
  secrets?: SecretFinding[];
  /** The outline asked for (undefined in it: the language is not outlined). */
  outline?: OutlineResult;
}

/**
 * What `--compress` packs for a file: its outline, then the comment and empty-line transforms.
 * Shared by the pool (which counts it) and `prepareFile` (which packs it), so the count is the
 * count of what is packed.
 */
export function transformOutline(
  outline: OutlineResult | undefined,
  raw: string,
  path: string,
  options: { removeComments?: boolean; removeEmptyLines?: boolean },
): string {
  let text = outline?.text ?? raw;
  if (options.removeComments) text = removeComments(text, path);
  if (options.removeEmptyLines) text = removeEmptyLines(text);
  return text;
}

export async function analyzeJobs(jobs: readonly AnalyzeJob[]): Promise<AnalyzeResult[]> {
  const scanItems = jobs.flatMap((job) =>
    job.scan ? [{ key: String(job.index), text: job.text }] : [],
  );
  const findings =
    scanItems.length > 0
      ? await (await import("./secrets.ts")).scanSecrets(scanItems)
      : new Map<string, SecretFinding[]>();
  const count = jobs.some((job) => job.count) ? await loadTokenCounter() : undefined;
  const toOutline = jobs.filter((job) => job.outline).map((job) => job.outline!.path);
  const outliner =
    toOutline.length > 0 ? await (await import("./outline.ts")).loadOutliner(toOutline) : undefined;
  const results: AnalyzeResult[] = [];
  for (const job of jobs) {
    const result: AnalyzeResult = { index: job.index };
    let counted = job.transformed ?? job.text;
    let changed = false;
    if (job.outline && outliner) {
      const request = job.outline;
      result.outline = outliner.outline(job.text, request.path, { symbols: request.symbols });
      counted = transformOutline(result.outline, job.text, request.path, request);
      changed = counted !== job.text;
    }
    if (job.count && count && (!job.outline?.countOnlyIfChanged || changed))
      result.tokens = countTokensGuarded(counted, count);
    if (job.scan) result.secrets = findings.get(String(job.index)) ?? [];
    results.push(result);
  }
  return results;
}

/**
 * A job whose texts are made only when its batch is dispatched, so a large pack never holds
 * every decoded file at once. `size` estimates the work (scanning is ~4× cheaper than counting).
 */
export interface PendingJob {
  index: number;
  size: number;
  materialize(): AnalyzeJob;
}
