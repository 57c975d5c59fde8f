/**
 * Reusing whole packs: a repeated pack of an unchanged selection reads no file at all.
 *
 * A pack is a function of its selection (each candidate's path, rank, selectors, old path,
 * mode, and whether .speignore or the config excludes it), its options, the code (build id,
 * tokenizer, secret rules), the work tree it comes from, and the bytes of the selected files.
 * All but the bytes hash to a key. The bytes are vouched for the way git's index vouches for
 * them: by stat data. Every selected path's stat (type, size, mtime, ctime, inode, device) and
 * every directory on the way to one (type, inode, device: a directory swapped for a symlink is
 * seen) must equal what they were when the stored pack was made; then its document is the
 * answer and nothing is read, counted, scanned or rendered.
 *
 * Racily clean files: stat data cannot tell a file that changed again within its timestamp's
 * clock tick from one that did not, nor a write that was still copying bytes when the pack read
 * them. So a pack is stored only when every selected path and directory was last changed at
 * least two seconds before the pack started, on the file system's own clock (the mtime of a
 * file created then), and every directory is still the same one when the pack ends. Each row
 * is taken no later than the read it vouches for (stat-rows.ts, StatRecorder). Any later change
 * leaves a newer ctime, and ctime cannot be set back. Packs with an unreadable file (a one-off
 * EIO, EMFILE) are not stored either.
 *
 * Stored on the second request: the first pack with a key only leaves a `<key>.seen` mark, the
 * next one stores its document, so one-off packs (a spec's context, named by its request) never
 * pay for writing one. Not stored or reused: packs with --diff or --log (they depend on HEAD and
 * the index too), and packs with the cache off. Files live in
 * `<commonDir>/spe/cache/packs/<key>.pack` (stored-pack-file.ts); at most
 * 8 of them and 256 MiB in all, the least recently used dropped
 * first. Written to a temp file and renamed into place, so a concurrent reader never sees a torn
 * file. Files a secret was found in are not in a document, so never in the store. Any failure to
 * store or load only means the pack is built.
 */
import { createHash } from "node:crypto";
import type { Logger } from "../log.ts";
import { buildId } from "../version.ts";
import type { Assembled } from "./assemble.ts";
import { vocabularySource } from "./o200k.ts";
import type { PackResult } from "./pack.ts";
import type { ContextFormat } from "./render.ts";
import { reusedResult } from "./reused-pack.ts";
import { secretScannerVersion } from "./secrets-version.ts";
import { StatRecorder } from "./stat-rows.ts";
import { packsDir, readStored, storePack } from "./stored-pack-file.ts";
import type { Candidate } from "./types.ts";

/** Everything besides the files' bytes that the document depends on. */
export interface PackIdentity {
  toplevel: string;
  /** Candidates in selection order, with whether the ignore rules keep each out. */
  candidates: readonly Candidate[];
  ignored: ReadonlySet<string>;
  format: ContextFormat;
  budget: number | undefined;
  removeComments: boolean;
  removeEmptyLines: boolean;
  compress: boolean;
  map: boolean;
  maxFileBytes: number;
  description: string;
}

function packKey(identity: PackIdentity): string {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify([
      "stored-pack/1",
      buildId,
      vocabularySource(),
      secretScannerVersion,
      identity.toplevel,
      identity.format,
      identity.budget ?? null,
      identity.removeComments,
      identity.removeEmptyLines,
      identity.compress,
      identity.map,
      identity.maxFileBytes,
      identity.description,
    ]),
  );
  // One string, hashed once: 27,600 small updates cost more than the hashing.
  const parts: string[] = [];
  for (const c of identity.candidates) {
    parts.push(
      c.path,
      String(c.rank),
      c.selectedBy.join("\u0001"),
      c.oldPath ?? "",
      c.mode ?? "",
      identity.ignored.has(c.path) ? "1" : "0",
    );
  }
  hash.update(parts.join("\0"));
  return hash.digest("hex");
}

export type PackLookup =
  | { reused: PackResult; pending?: undefined }
  /** `pending`: the pack about to be built is to be stored. */
  | { reused?: undefined; pending: PendingStore | undefined };

/**
 * What the store has for a pack about to be built: the answer itself, or whether to store the
 * pack once built (with its stat data recorded while it reads).
 */
export function lookUpPack(
  commonDir: string,
  identity: PackIdentity,
  selected: readonly Candidate[],
  log: Pick<Logger, "debug">,
  started: number,
): PackLookup {
  const dir = packsDir(commonDir);
  const key = packKey(identity);
  const found = readStored(dir, key, identity.toplevel, selected);
  if (found.header) {
    return {
      reused: reusedResult(found.header, found.document, selected, {
        candidates: identity.candidates.length,
        started,
      }),
    };
  }
  if (!found.store) return { pending: undefined };
  try {
    return { pending: new PendingStore(dir, key, identity.toplevel, selected) };
  } catch (error) {
    log.debug(`context: pack not stored: ${(error as Error).message}`);
    return { pending: undefined };
  }
}

/** A pack to store once built: its stat data, recorded while it reads. */
export class PendingStore {
  readonly stats: StatRecorder;

  constructor(
    private readonly dir: string,
    private readonly key: string,
    root: string,
    private readonly selected: readonly Candidate[],
  ) {
    this.stats = new StatRecorder(
      root,
      dir,
      selected.map((c) => c.path),
    );
  }

  /**
   * Stores the built pack unless its stat data cannot vouch for it; never throws (the store only
   * ever speeds packs up). Returns the document's chunks encoded, for the caller's write too.
   */
  save(format: ContextFormat, built: Assembled, log: Pick<Logger, "debug">): Uint8Array[] {
    const chunks = built.chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c));
    try {
      const snapshot = this.stats.finish();
      const stored = storePack(this.dir, {
        key: this.key,
        format,
        chunks,
        contentAt: built.contentAt,
        kept: built.kept,
        dropped: built.dropped,
        skipped: built.skipped,
        totalTokens: built.totalTokens,
        selected: this.selected,
        snapshot,
      });
      log.debug(
        `context: pack ${stored ? "stored" : snapshot.racy ? "not stored: files changed too recently" : "not stored"}`,
      );
    } catch (error) {
      log.debug(`context: pack not stored: ${(error as Error).message}`);
    }
    return chunks;
  }
}
