/**
 * Spreads analysis over this thread plus worker threads when there is enough of it to pay for
 * their start-up (each loads the o200k ranks, ~150 ms and ~70 MB); small packs stay in this
 * thread. This thread works too (cores − 1 workers), so no core holds an idle encoder. Batches
 * are pulled by whoever is free, so one huge file cannot leave the others waiting.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { findSelfEntry } from "../config/self-entry.ts";
import { analyzeJobs, type AnalyzeResult, type PendingJob } from "./analyze.ts";

/** Below this much text (characters), threads cost more than they save. */
export const workerThreshold = 4 * 1024 * 1024;
const batchSize = 512 * 1024;

/** The built worker script; undefined when running from TypeScript sources (tests). */
function workerScript(): string | undefined {
  if (fileURLToPath(import.meta.url).endsWith(".ts")) return undefined;
  const script = path.join(path.dirname(findSelfEntry()), "context-worker.js");
  return fs.existsSync(script) ? script : undefined;
}

function batches(jobs: readonly PendingJob[]): PendingJob[][] {
  const out: PendingJob[][] = [];
  let current: PendingJob[] = [];
  let size = 0;
  for (const job of jobs) {
    current.push(job);
    size += job.size;
    if (size >= batchSize) {
      out.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  /** Force a thread count (tests, benchmarks); default: by work size and cores. */
  threads?: number;
  onBatch?: (done: number, total: number) => void;
}

export interface Analysis {
  results: AnalyzeResult[];
  /** Threads that did the work: 1 is this thread alone. */
  threads: number;
}

export async function analyze(
  jobs: readonly PendingJob[],
  options: AnalyzeOptions = {},
): Promise<Analysis> {
  const total = jobs.reduce((sum, job) => sum + job.size, 0);
  const script = workerScript();
  const threads =
    options.threads ?? (total >= workerThreshold ? Math.min(os.availableParallelism(), 4) : 1);
  const queue = batches(jobs);
  if (!script || threads <= 1 || jobs.length === 0) {
    const results: AnalyzeResult[] = [];
    for (const batch of queue) {
      results.push(...(await analyzeJobs(batch.map((job) => job.materialize()))));
      options.signal?.throwIfAborted();
    }
    return { results, threads: 1 };
  }

  const results: AnalyzeResult[] = [];
  let done = 0;
  const workers = Array.from(
    { length: Math.min(threads - 1, queue.length) },
    () => new Worker(script),
  );
  const abort = () => void Promise.all(workers.map((w) => w.terminate()));
  options.signal?.addEventListener("abort", abort, { once: true });
  // This thread takes a batch whenever the event loop is free between worker messages.
  const mainThread = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      results.push(...(await analyzeJobs(batch.map((job) => job.materialize()))));
      options.onBatch?.(++done, done + queue.length);
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    await Promise.all([
      mainThread(),
      ...workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            // Two batches in flight, so the worker never waits for this thread to hand it
            // the next one while this thread is busy with a batch of its own.
            let id = 0;
            let inFlight = 0;
            const sendNext = () => {
              const batch = queue.shift();
              if (batch) {
                inFlight++;
                worker.postMessage({ id: ++id, jobs: batch.map((job) => job.materialize()) });
              } else if (inFlight === 0) {
                resolve();
              }
            };
            worker.on("message", (message: { results?: AnalyzeResult[]; error?: string }) => {
              if (message.error !== undefined)
                return reject(new Error(`context worker: ${message.error}`));
              inFlight--;
              results.push(...(message.results ?? []));
              options.onBatch?.(++done, done + queue.length);
              sendNext();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (options.signal?.aborted) reject(options.signal.reason);
              else if (code !== 0) reject(new Error(`context worker exited with ${code}`));
            });
            sendNext();
            sendNext();
          }),
      ),
    ]);
  } finally {
    options.signal?.removeEventListener("abort", abort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  options.signal?.throwIfAborted();
  return { results, threads: workers.length + 1 };
}
