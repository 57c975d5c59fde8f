/**
 * Reading selected files from the work tree: lstat first (deleted, symlink, submodule,
 * over-size are listed, not read), then the bytes, a binary check and the git blob id that keys
 * the token and secret caches. Symlinks are never followed.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Candidate, SkippedFile } from "./types.ts";

export interface ReadFile {
  candidate: Candidate;
  buffer: Buffer;
  /** sha1("blob <size>\0" + bytes): the id git gives this content. */
  blobId: string;
}

export interface ReadOutcome {
  files: ReadFile[];
  skipped: SkippedFile[];
}

export function gitBlobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** git's own heuristic: a NUL byte in the first 8000 bytes means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function readOne(
  root: string,
  candidate: Candidate,
  maxFileBytes: number,
): Promise<ReadFile | SkippedFile> {
  const file = path.join(root, candidate.path);
  const skip = (reason: SkippedFile["reason"], detail?: string): SkippedFile => ({
    path: candidate.path,
    reason,
    ...(detail ? { detail } : {}),
  });
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? skip("deleted") : skip("unreadable", code);
  }
  if (stat.isSymbolicLink())
    return skip("symlink", `→ ${await fs.readlink(file).catch(() => "?")}`);
  if (stat.isDirectory()) return skip(candidate.mode === "160000" ? "submodule" : "not-a-file");
  if (!stat.isFile()) return skip("not-a-file");
  if (stat.size > maxFileBytes)
    return skip("too-large", `${formatBytes(stat.size)} > ${formatBytes(maxFileBytes)}`);
  let buffer: Buffer;
  try {
    buffer = await fs.readFile(file);
  } catch (error) {
    return skip("unreadable", (error as NodeJS.ErrnoException).code);
  }
  // The file may have grown between lstat and read.
  if (buffer.length > maxFileBytes)
    return skip("too-large", `${formatBytes(buffer.length)} > ${formatBytes(maxFileBytes)}`);
  if (looksBinary(buffer)) return skip("binary", formatBytes(buffer.length));
  return { candidate, buffer, blobId: gitBlobId(buffer) };
}

export async function readCandidates(
  root: string,
  candidates: readonly Candidate[],
  options: {
    maxFileBytes: number;
    signal?: AbortSignal;
    onFile?: () => void;
    concurrency?: number;
  },
): Promise<ReadOutcome> {
  const results: (ReadFile | SkippedFile)[] = new Array(candidates.length);
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      results[index] = await readOne(root, candidates[index] as Candidate, options.maxFileBytes);
      options.onFile?.();
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 32, candidates.length) }, worker),
  );
  const files: ReadFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const result of results) {
    if ("buffer" in result) files.push(result);
    else skipped.push(result);
  }
  return { files, skipped };
}
