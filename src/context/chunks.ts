import type { Chunk } from "./types.ts";

const decoder = new TextDecoder();

/** The document as one string (file bytes decoded as UTF-8). */
export function joinChunks(chunks: readonly Chunk[]): string {
  return chunks
    .map((chunk) => (typeof chunk === "string" ? chunk : decoder.decode(chunk)))
    .join("");
}
