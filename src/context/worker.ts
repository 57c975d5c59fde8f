/** Worker-thread entry (built to dist/context-worker.js): runs analyzeJobs on batches it is sent. */
import { parentPort } from "node:worker_threads";
import { analyzeJobs, type AnalyzeJob } from "./analyze.ts";

parentPort?.on("message", (message: { id: number; jobs: AnalyzeJob[] }) => {
  analyzeJobs(message.jobs).then(
    (results) => parentPort?.postMessage({ id: message.id, results }),
    (error: unknown) =>
      parentPort?.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
