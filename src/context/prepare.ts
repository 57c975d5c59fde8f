/**
 * A read file on its way into the pack: its text is decoded only when something needs it (a
 * cache miss, a transform, a JSON or markdown render), so a warm pack of unchanged files writes
 * their bytes straight through and never holds them twice.
 */
import { gitBlobId, type ReadFile } from "./read.ts";
import { removeComments, removeEmptyLines } from "./remove-comments.ts";
import type { Outliner } from "./outline.ts";
import type { PackedFile } from "./types.ts";

const decoder = new TextDecoder();

export interface PreparedFile {
  file: ReadFile;
  /** Key of the token count: the blob id of the text that is counted. */
  tokenId: string;
  /** The file as it is on disk (what the secret scan reads); decoded on each call. */
  rawText(): string;
  /** The text after transforms, when they changed it. */
  transformed: string | undefined;
  toPackedFile(tokens: number): PackedFile;
}

export function prepareFile(
  file: ReadFile,
  options: {
    removeComments?: boolean;
    removeEmptyLines?: boolean;
    /** `--compress`: source files become their outlines. */
    outliner?: Outliner;
    onFallback?: (file: string, why: string) => void;
  },
): PreparedFile {
  const { buffer, candidate } = file;
  const rawText = () => decoder.decode(buffer);
  let transformed: string | undefined;
  if (options.removeComments || options.removeEmptyLines || options.outliner) {
    const raw = rawText();
    const outline = options.outliner?.outline(raw, candidate.path);
    if (outline && "fallback" in outline) options.onFallback?.(candidate.path, outline.fallback);
    let text = outline?.text ?? raw;
    if (options.removeComments) text = removeComments(text, candidate.path);
    if (options.removeEmptyLines) text = removeEmptyLines(text);
    if (text !== raw) transformed = text;
  }
  return {
    file,
    tokenId: transformed === undefined ? file.blobId : gitBlobId(Buffer.from(transformed)),
    rawText,
    transformed,
    toPackedFile(tokens) {
      let content = transformed;
      return {
        path: candidate.path,
        ...(candidate.oldPath ? { oldPath: candidate.oldPath } : {}),
        get content() {
          return (content ??= rawText());
        },
        ...(transformed === undefined ? { raw: buffer } : {}),
        bytes: buffer.length,
        blobId: file.blobId,
        tokens,
        rank: candidate.rank,
      };
    },
  };
}
