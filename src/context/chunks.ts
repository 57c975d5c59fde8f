import type { Chunk } from "./types.ts";

// A file's leading BOM stays: the string holds what the written document holds.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** The document as one string (file bytes decoded as UTF-8). */
export function joinChunks(chunks: readonly Chunk[]): string {
  return chunks
    .map((chunk) => (typeof chunk === "string" ? chunk : decoder.decode(chunk)))
    .join("");
}
