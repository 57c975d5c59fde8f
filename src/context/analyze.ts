/**
 * The CPU-heavy part of a pack, runnable in this thread or in a worker: o200k token counts and
 * secret scans for the texts the cache did not know. The encoder and the scanner are loaded
 * only when there is work for them, so a warm pack loads neither.
 */
import { countTokensGuarded, loadTokenCounter } from "./tokens.ts";
import type { SecretFinding } from "./types.ts";

export interface AnalyzeJob {
  /** Caller's index for the result. */
  index: number;
  /** The file's text as on disk: what is scanned, and counted unless `transformed` is given. */
  text: string;
  /** The text after transforms, when they changed it: what is counted then. */
  transformed?: string;
  count: boolean;
  scan: boolean;
}

export interface AnalyzeResult {
  index: number;
  tokens?: number;
  secrets?: SecretFinding[];
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
  return jobs.map((job) => ({
    index: job.index,
    ...(job.count && count
      ? { tokens: countTokensGuarded(job.transformed ?? job.text, count) }
      : {}),
    ...(job.scan ? { secrets: findings.get(String(job.index)) ?? [] } : {}),
  }));
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
