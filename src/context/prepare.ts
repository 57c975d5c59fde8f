/**
 * A read file on its way into the pack: its text is decoded only when something needs it (a
 * cache miss, a transform, a JSON or markdown render), so a warm pack of unchanged files writes
 * their bytes straight through and never holds them twice.
 */
import { transformOutline } from "./analyze.ts";
import { gitBlobId, type ReadFile } from "./read.ts";
import type { OutlineResult } from "./outline.ts";
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
  options: { removeComments?: boolean; removeEmptyLines?: boolean },
  /** `--compress`: the file's outline (made by the pool or found in the outline cache). */
  outline?: OutlineResult,
  /** The file's text, when the caller has decoded it already. */
  decoded?: string,
): PreparedFile {
  const { buffer, candidate } = file;
  const rawText = () => decoder.decode(buffer);
  let transformed: string | undefined;
  if (options.removeComments || options.removeEmptyLines || outline) {
    const raw = decoded ?? rawText();
    const text = transformOutline(outline, raw, candidate.path, options);
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
