/**
 * The editor tool's `view`: a file with numbered lines (optionally `view_range` [start, end],
 * 1-based, end -1 meaning the last line), or a directory listed two levels deep without `.git`.
 * Large output is cut at whole lines with a note that says how to see the rest, so one view
 * cannot flood the conversation.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { ConfinedPath } from "./confine-path.ts";
import { numberLines, splitLines } from "./text-edits.ts";
import { ToolError } from "./tool-result.ts";

/** Files beyond this are not read at all; `sed -n` through bash still works on them. */
const maxReadableBytes = 20 * 1024 * 1024;
const listingDepth = 2;
const maxListingEntries = 1000;
/** Listed but not expanded: huge and not the model's to edit. */
const unexpanded = new Set(["node_modules"]);

export async function readTextFile(target: ConfinedPath): Promise<string> {
  const handle = await fs.open(target.real, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ToolError(`${target.display} is not a regular file`);
    if (stat.size > maxReadableBytes)
      throw new ToolError(
        `${target.display} is ${stat.size} bytes, too large to open in the editor; inspect it with bash (head, sed -n, grep)`,
      );
    const bytes = await handle.readFile();
    if (bytes.subarray(0, 8192).includes(0))
      throw new ToolError(`${target.display} looks binary (${bytes.length} bytes); not shown`);
    return bytes.toString("utf8");
  } finally {
    await handle.close();
  }
}

function parseRange(range: readonly [number, number], lineCount: number): [number, number] {
  const [start, end] = range;
  if (start < 1 || start > Math.max(lineCount, 1))
    throw new ToolError(
      `view_range start ${start} is out of range: the file has ${lineCount} lines (lines are numbered from 1)`,
    );
  if (end !== -1 && end < start)
    throw new ToolError(`view_range end ${end} is before its start ${start} (use -1 for the end)`);
  return [start, end === -1 ? lineCount : Math.min(end, lineCount)];
}

export async function viewFile(
  target: ConfinedPath,
  range: readonly [number, number] | undefined,
  maxBytes: number,
): Promise<string> {
  const lines = splitLines(await readTextFile(target));
  if (lines.length === 0) return `${target.display} is empty.`;
  const [start, end] = range ? parseRange(range, lines.length) : [1, lines.length];
  const shown: string[] = [];
  let bytes = 0;
  for (const line of numberLines(lines.slice(start - 1, end), start)) {
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > maxBytes) {
      // A single line over the limit (minified code) is shown in part rather than not at all.
      if (shown.length === 0)
        shown.push(`${line.slice(0, maxBytes)}… [line cut: it has ${line.length} characters]`);
      break;
    }
    bytes += size;
    shown.push(line);
  }
  const last = start + shown.length - 1;
  if (last < end) {
    shown.push(
      `[View truncated at the ${maxBytes}-byte limit: showing lines ${start}–${last} of ${lines.length}. ` +
        `See the rest with view_range, e.g. [${last + 1}, ${Math.min(lines.length, last + 200)}].]`,
    );
  }
  return shown.join("\n");
}

export async function viewDirectory(
  target: ConfinedPath,
  root: string,
  maxBytes: number,
): Promise<string> {
  const entries: string[] = [];
  let cut = false;
  const walk = async (dir: string, depth: number): Promise<void> => {
    const children = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const child of children) {
      if (child.name.toLowerCase() === ".git") continue;
      if (entries.length >= maxListingEntries) {
        cut = true;
        return;
      }
      const full = path.join(dir, child.name);
      const shown = path.relative(root, full).split(path.sep).join("/");
      if (child.isSymbolicLink()) entries.push(`${shown}@`);
      else if (!child.isDirectory()) entries.push(shown);
      else if (unexpanded.has(child.name)) entries.push(`${shown}/ (not expanded)`);
      else {
        entries.push(`${shown}/`);
        if (depth < listingDepth) await walk(full, depth + 1);
      }
    }
  };
  await walk(target.real, 1);
  let text = entries.join("\n");
  if (Buffer.byteLength(text) > maxBytes) {
    text = text.slice(0, maxBytes).replace(/\n[^\n]*$/, "");
    cut = true;
  }
  const heading = `Files and directories up to ${listingDepth} levels deep in ${target.display}, excluding .git (directories end in /, symlinks in @):`;
  const note = cut ? "\n[Listing truncated; view a subdirectory to see more.]" : "";
  return `${heading}\n${text || "(empty directory)"}${note}`;
}
