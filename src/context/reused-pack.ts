/**
 * A stored pack's document and header back as a pack: the files' metadata from the header,
 * their content from the document on first use (its offset for xml and markdown, the parsed
 * document for json).
 */
import type { PackResult } from "./pack.ts";
import type { StoredFiles, StoredHeader } from "./stored-pack-file.ts";
import { joinChunks } from "./chunks.ts";
import type { Candidate, PackedFile } from "./types.ts";

const decoder = new TextDecoder();
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** Where a reused file's content comes from: the document, found on first use. */
interface ContentSource {
  contentOf(i: number): string;
}

/** A file of a reused pack: a class, not literals with getters (27,600 of those cost 20 ms). */
class ReusedFile implements PackedFile {
  readonly path: string;
  readonly oldPath?: string;
  readonly bytes: number;
  readonly tokens: number;
  readonly blobId: string;
  readonly rank: number;
  #content: string | undefined;

  constructor(
    candidate: Candidate,
    stored: StoredFiles,
    private readonly i: number,
    private readonly source: ContentSource,
  ) {
    this.path = candidate.path;
    if (candidate.oldPath) this.oldPath = candidate.oldPath;
    this.bytes = stored.bytes[i] as number;
    this.tokens = stored.tokens[i] as number;
    this.blobId = stored.blobIds[i] as string;
    this.rank = candidate.rank;
  }

  get content(): string {
    return (this.#content ??= this.source.contentOf(this.i));
  }
}

function rebuild(
  header: StoredHeader,
  document: Buffer,
  selected: readonly Candidate[],
): { files: PackedFile[]; dropped: PackedFile[] } {
  let jsonFiles: { content: string }[] | undefined;
  const kept: ContentSource = {
    contentOf(i) {
      if (header.format === "json") {
        jsonFiles ??= (JSON.parse(decoder.decode(document)) as { files: { content: string }[] })
          .files;
        return (jsonFiles[i] as { content: string }).content;
      }
      const at = header.kept.offsets[i] as number;
      const text = document.subarray(at, at + (header.kept.lengths[i] as number));
      // A file's bytes lose a leading BOM in decoding, as when built; text already lost it.
      return (header.kept.raw[i] ? decoder : textDecoder).decode(text);
    },
  };
  const dropped: ContentSource = {
    contentOf() {
      throw new Error("a reused pack does not keep the content of files the budget dropped");
    },
  };
  const files = (stored: StoredFiles, source: ContentSource) =>
    stored.index.map((index, i) => new ReusedFile(selected[index] as Candidate, stored, i, source));
  return { files: files(header.kept, kept), dropped: files(header.dropped, dropped) };
}

/** The pack a stored document answers, as packContext returns it. */
export function reusedResult(
  header: StoredHeader,
  document: Buffer,
  selected: readonly Candidate[],
  stats: { candidates: number; started: number },
): PackResult {
  const { files, dropped } = rebuild(header, document, selected);
  let joined: string | undefined;
  return {
    get output() {
      return (joined ??= joinChunks([document]));
    },
    chunks: [document],
    format: header.format,
    files,
    skipped: header.skipped,
    dropped,
    totalTokens: header.totalTokens,
    stats: {
      selected: stats.candidates,
      read: 0,
      tokenized: 0,
      scanned: 0,
      reused: true,
      durationMs: Math.round(performance.now() - stats.started),
    },
  };
}
