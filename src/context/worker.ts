/** Worker-thread entry (built to dist/context-worker.js): runs analyzeJobs on batches it is sent. */
import { parentPort } from "node:worker_threads";
import { analyzeJobs, type AnalyzeJob } from "./analyze.ts";

parentPort?.on("message", (message: { jobs: AnalyzeJob[] }) => {
  analyzeJobs(message.jobs).then(
    (results) => parentPort?.postMessage({ results }),
    (error: unknown) =>
      parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
