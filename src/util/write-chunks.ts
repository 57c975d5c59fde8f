/**
 * Writes a document held as parts (text, and file bytes that were never decoded) without
 * joining it into one string first: a 100 MB pack would otherwise exist twice in memory and be
 * re-encoded to UTF-8 on the way out. Files get `writev` (up to 1,024 parts per call); streams
 * get each part with backpressure honoured.
 */
import fs from "node:fs";
import type { Writable } from "node:stream";

export type WritableChunk = string | Uint8Array;

const toBuffer = (chunk: WritableChunk) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk);

export function writeChunksToFile(file: string, chunks: readonly WritableChunk[]): void {
  const fd = fs.openSync(file, "w");
  try {
    for (let i = 0; i < chunks.length; i += 1024) {
      const batch = chunks.slice(i, i + 1024).map(toBuffer);
      let remaining = batch.reduce((sum, b) => sum + b.length, 0);
      let written = fs.writevSync(fd, batch);
      // A short write (rare on regular files) continues with whatever is left.
      if (written < remaining) {
        const rest = Buffer.concat(batch).subarray(written);
        remaining = rest.length;
        for (written = 0; written < remaining;) written += fs.writeSync(fd, rest, written);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

export async function writeChunksToStream(
  stream: Writable,
  chunks: readonly WritableChunk[],
): Promise<void> {
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once("drain", resolve));
  }
}
