/**
 * The analysis pool. Jobs are submitted while files are still being read; once enough work has
 * piled up to pay for threads (each starts a worker runtime and loads the o200k table), threads
 * start and take batches while this thread keeps reading; when reading is done this thread
 * works through batches too. Small packs never start a thread. Workers keep two batches in
 * flight so they never wait for this thread to hand them the next one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { findSelfEntry } from "../config/self-entry.ts";
import { analyzeJobs, type AnalyzeResult, type PendingJob } from "./analyze.ts";

/** Below this much pending work (characters), threads cost more than they save. */
export const workerThreshold = 4 * 1024 * 1024;
const batchSize = 512 * 1024;

/** The built worker script; undefined when running from TypeScript sources (tests). */
function workerScript(): string | undefined {
  if (fileURLToPath(import.meta.url).endsWith(".ts")) return undefined;
  const script = path.join(path.dirname(findSelfEntry()), "context-worker.js");
  return fs.existsSync(script) ? script : undefined;
}

export interface PoolOptions {
  signal?: AbortSignal;
  /** Total threads including this one; default: the machine's cores (at most 4). */
  threads?: number;
  onBatch?: (done: number, queued: number) => void;
}

export interface Analysis {
  results: AnalyzeResult[];
  /** Threads that did the work: 1 is this thread alone. */
  threads: number;
}

export interface AnalysisPool {
  submit(job: PendingJob): void;
  /** Processes what is left (this thread helps) and stops the workers. */
  finish(): Promise<Analysis>;
}

interface WorkerSlot {
  worker: Worker;
  inFlight: number;
}

export function createAnalysisPool(options: PoolOptions = {}): AnalysisPool {
  const threads = options.threads ?? Math.min(os.availableParallelism(), 4);
  const script = threads > 1 ? workerScript() : undefined;
  const results: AnalyzeResult[] = [];
  const queue: PendingJob[][] = [];
  const slots: WorkerSlot[] = [];
  let current: PendingJob[] = [];
  let currentSize = 0;
  let submitted = 0;
  let done = 0;
  let failure: unknown;
  let settle: (() => void) | undefined;

  const allSettled = () => queue.length === 0 && slots.every((s) => s.inFlight === 0);
  const dispatch = () => {
    for (const slot of slots) {
      while (slot.inFlight < 2 && queue.length > 0) {
        const batch = queue.shift() as PendingJob[];
        slot.inFlight++;
        slot.worker.postMessage({ jobs: batch.map((job) => job.materialize()) });
      }
    }
    if (settle && allSettled()) settle();
  };
  const startWorkers = () => {
    if (!script || slots.length > 0) return;
    for (let i = 0; i < threads - 1; i++) {
      const slot: WorkerSlot = { worker: new Worker(script), inFlight: 0 };
      slot.worker.on("message", (message: { results?: AnalyzeResult[]; error?: string }) => {
        slot.inFlight--;
        if (message.error !== undefined) failure ??= new Error(`context worker: ${message.error}`);
        results.push(...(message.results ?? []));
        options.onBatch?.(++done, queue.length);
        dispatch();
      });
      slot.worker.on("error", (error) => {
        failure ??= error;
        slot.inFlight = 0;
        dispatch();
      });
      slots.push(slot);
    }
  };
  const seal = () => {
    if (current.length === 0) return;
    queue.push(current);
    current = [];
    currentSize = 0;
  };

  return {
    submit(job) {
      current.push(job);
      currentSize += job.size;
      submitted += job.size;
      if (currentSize < batchSize) return;
      seal();
      if (submitted >= workerThreshold) startWorkers();
      dispatch();
    },
    async finish() {
      seal();
      if (submitted >= workerThreshold) startWorkers();
      dispatch();
      try {
        // This thread takes batches too, yielding between them for worker messages.
        for (let batch = queue.shift(); batch; batch = queue.shift()) {
          results.push(...(await analyzeJobs(batch.map((job) => job.materialize()))));
          options.onBatch?.(++done, queue.length);
          options.signal?.throwIfAborted();
          if (failure) throw failure;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (!allSettled()) {
          await new Promise<void>((resolve, reject) => {
            settle = resolve;
            options.signal?.addEventListener("abort", () => reject(options.signal?.reason), {
              once: true,
            });
          });
        }
        if (failure) throw failure;
        options.signal?.throwIfAborted();
        return { results, threads: slots.length + 1 };
      } finally {
        await Promise.all(slots.map((slot) => slot.worker.terminate()));
      }
    },
  };
}
