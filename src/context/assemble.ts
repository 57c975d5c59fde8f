/**
 * From analysed files to the final document: fit the budget, render, and count. A budgeted
 * document is counted whole after rendering (it is bounded by the budget, so this is cheap)
 * and trimmed further until the exact count fits: the budget is never exceeded. An unbudgeted
 * document's total is the cached count of its frame (everything but file contents) plus the
 * files' counts, so a warm pack tokenizes nothing.
 */
import { usageError } from "../errors.ts";
import { fitBudget, type BudgetItem } from "./budget.ts";
import { planLevels, type MapItem, type MapLevel } from "./map.ts";
import {
  renderJson,
  renderMarkdown,
  renderXml,
  type ContextFormat,
  type RenderInput,
} from "./render.ts";
import { textId, type ContextCache } from "./token-cache.ts";
import { countTokensGuarded, loadTokenCounter } from "./tokens.ts";
import { joinChunks } from "./chunks.ts";
import type { Chunk, PackedFile, SkippedFile } from "./types.ts";

export interface AssembleInput extends Omit<RenderInput, "files"> {
  format: ContextFormat;
  files: PackedFile[];
  budget?: number;
  /** With `budget`: every file at a level — whole, outline or path only (map.ts). */
  map?: boolean;
  /** For the map's warnings. */
  warn?: (text: string) => void;
  cache: ContextCache;
}

export interface Assembled {
  /** The document in parts, in order; file contents are shared, not copied. */
  chunks: Chunk[];
  kept: PackedFile[];
  dropped: PackedFile[];
  /** The skipped files given to assemble, then the budget-dropped ones. */
  skipped: SkippedFile[];
  totalTokens: number;
  /**
   * xml and markdown: for each kept file, in order, the index of the chunk its content starts
   * (see renderXml). Empty for json.
   */
  contentAt: number[];
}

const byPath = (a: PackedFile, b: PackedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function render(
  input: AssembleInput,
  files: readonly PackedFile[],
  skipped: readonly SkippedFile[],
  contentAt?: number[],
): Chunk[] {
  if (input.format === "xml") return renderXml({ ...input, files }, contentAt);
  if (input.format === "markdown") return renderMarkdown({ ...input, files }, contentAt);
  const json = renderJson({
    files: files.map((f) => ({
      path: f.path,
      ...(f.oldPath ? { oldPath: f.oldPath } : {}),
      tokens: f.tokens,
      bytes: f.bytes,
      ...(f.level ? { level: f.level } : {}),
      content: f.content,
    })),
    skipped: skipped.map((s) => ({
      path: s.path,
      reason: s.reason,
      ...(s.detail ? { detail: s.detail } : {}),
    })),
    totalTokens: files.reduce((sum, f) => sum + f.tokens, 0),
    ...(input.diff !== undefined ? { diff: input.diff } : {}),
    ...(input.log !== undefined ? { log: input.log } : {}),
  });
  return [json];
}

/** Token count of a text, through the cache (keyed like blobs, by a hash of the text). */
async function cachedCount(text: string, cache: ContextCache): Promise<number> {
  const id = textId(text);
  const known = cache.getTokens(id);
  if (known !== undefined) return known;
  const count = countTokensGuarded(text, await loadTokenCounter());
  cache.setTokens(id, count);
  return count;
}

/** The document's frame: everything except file contents. */
function frame(input: AssembleInput, files: readonly PackedFile[]): string {
  if (input.format === "json") return "";
  // Built field by field: spreading a file would decode its content.
  const empty = files.map((f): PackedFile => ({
    path: f.path,
    ...(f.oldPath === undefined ? {} : { oldPath: f.oldPath }),
    content: "",
    bytes: 0,
    tokens: 0,
    rank: f.rank,
  }));
  return joinChunks(render(input, empty, []));
}

export async function assemble(
  input: AssembleInput,
  skippedForJson: readonly SkippedFile[],
): Promise<Assembled> {
  const files = [...input.files].sort(byPath);
  if (input.budget === undefined) {
    const contentTokens = files.reduce((sum, f) => sum + f.tokens, 0);
    const frameTokens =
      input.format === "json" ? 0 : await cachedCount(frame(input, files), input.cache);
    const contentAt: number[] = [];
    return {
      chunks: render(input, files, skippedForJson, contentAt),
      contentAt,
      kept: files,
      dropped: [],
      skipped: [...skippedForJson],
      totalTokens: frameTokens + contentTokens,
    };
  }
  const budget = input.budget;
  if (input.map) {
    const map = await assembleMap(input, files, skippedForJson, budget);
    if (map) return map;
    // The directory structure of every file alone is over the budget: files are dropped instead.
    input.warn?.(
      `context: --budget ${budget} cannot list all ${files.length} files (the map's directory structure alone is larger); the lowest-ranked files are left out instead`,
    );
  }
  const count = await loadTokenCounter();
  const fixed = input.format === "json" ? 0 : countTokensGuarded(frame(input, []), count);
  if (fixed > budget) {
    throw usageError(
      `--budget ${budget} is smaller than the document's frame alone (${fixed} tokens)`,
      {
        hint: "Raise the budget, or drop --diff/--log.",
      },
    );
  }
  const items: BudgetItem[] = files.map((f) => ({
    path: f.path,
    tokens: f.tokens,
    rank: f.rank,
    // Wrapper and tree line: generous, the exact count below has the last word.
    overhead: input.format === "json" ? 0 : Math.ceil((2 * f.path.length + 40) / 3),
  }));
  const byName = new Map(files.map((f) => [f.path, f]));
  // In keep order already: the lowest-ranked file is last.
  const kept = fitBudget(items, budget, fixed).kept;
  for (;;) {
    const keptFiles = kept.map((k) => byName.get(k.path) as PackedFile).sort(byPath);
    const keptPaths = new Set(kept.map((k) => k.path));
    const dropped = files.filter((f) => !keptPaths.has(f.path));
    const skipped = [
      ...skippedForJson,
      ...dropped.map((f): SkippedFile => ({
        path: f.path,
        reason: "budget",
        detail: `${f.tokens} tokens`,
      })),
    ];
    const contentAt: number[] = [];
    const chunks = render(input, keptFiles, skipped, contentAt);
    const total =
      input.format === "json"
        ? keptFiles.reduce((sum, f) => sum + f.tokens, 0)
        : countTokensGuarded(joinChunks(chunks), count);
    if (total <= budget)
      return { chunks, contentAt, kept: keptFiles, dropped, skipped, totalTokens: total };
    // Over by boundary effects: give up the lowest-ranked files until the excess is covered.
    let excess = total - budget;
    while (excess > 0 && kept.length > 0) {
      const last = kept.pop() as BudgetItem;
      excess -= last.tokens + 1;
    }
  }
}

/** A file at its level: its outline in place of its text, or as it is. */
function atLevel(file: PackedFile, level: "whole" | "outline"): PackedFile {
  if (level === "whole" || !file.outline) return Object.assign(file, { level: "whole" as const });
  return {
    path: file.path,
    ...(file.oldPath === undefined ? {} : { oldPath: file.oldPath }),
    content: file.outline.content,
    ...(file.blobId === undefined ? {} : { blobId: file.blobId }),
    bytes: file.bytes,
    tokens: file.outline.tokens,
    rank: file.rank,
    level: "outline",
  };
}

/**
 * `--map`: every file listed in the directory structure; as many as fit whole or as outlines,
 * by map.ts's order; then the exact count, lowering the last files' levels until it fits.
 */
async function assembleMap(
  input: AssembleInput,
  files: PackedFile[],
  skippedForJson: readonly SkippedFile[],
  budget: number,
): Promise<Assembled | undefined> {
  const count = await loadTokenCounter();
  const treePaths = files.map((f) => f.path);
  const pathOnlySkips = (paths: readonly PackedFile[]) =>
    paths.map((f): SkippedFile => ({
      path: f.path,
      reason: "budget",
      detail: `listed by path only (${f.tokens} tokens whole)`,
    }));
  const counted = (chunks: Chunk[]) => countTokensGuarded(joinChunks(chunks), count);
  // The frame: every path listed (json: in `skipped`), no content.
  const fixed = counted(
    render({ ...input, treePaths }, [], [...skippedForJson, ...pathOnlySkips(files)]),
  );
  if (fixed > budget) return undefined;
  const overhead = (f: PackedFile) => Math.ceil((2 * f.path.length + 40) / 3);
  const byName = new Map(files.map((f) => [f.path, f]));
  const everythingWhole =
    fixed + files.reduce((sum, f) => sum + f.tokens + overhead(f), 0) <= budget;
  // Strongest first, so that lowering from the end gives up the weakest first.
  const { order } = everythingWhole
    ? {
        order: [...files]
          .sort((a, b) => b.rank - a.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
          .map((f) => ({ path: f.path, level: "whole" as MapLevel })),
      }
    : planLevels(
        files.map((f): MapItem => ({
          path: f.path,
          rank: f.rank,
          tokens: f.tokens,
          ...(f.outline ? { outlineTokens: f.outline.tokens } : {}),
          ...(f.symbols ? { symbols: f.symbols } : {}),
          overhead: overhead(f),
        })),
        budget,
        fixed,
      );
  for (;;) {
    const shown = order
      .filter((o) => o.level !== "path")
      .map((o) => atLevel(byName.get(o.path) as PackedFile, o.level as "whole" | "outline"))
      .sort(byPath);
    const shownPaths = new Set(shown.map((f) => f.path));
    const pathOnly = files.filter((f) => !shownPaths.has(f.path));
    const lowered = pathOnly.length > 0 || shown.some((f) => f.level === "outline");
    // Said only when it came to that.
    const mapInput = {
      ...input,
      treePaths,
      processing: lowered
        ? [
            ...input.processing,
            "files that did not fit whole are outlines (the bodies of functions and methods left out, each replaced by a marker saying how many lines it had) or are listed by path only in the directory structure",
          ]
        : input.processing,
    };
    const skipped = [...skippedForJson, ...pathOnlySkips(pathOnly)];
    const contentAt: number[] = [];
    const chunks = render(mapInput, shown, skipped, contentAt);
    // Counted whole in every format (json's path-only list is part of what the budget covers).
    const total = counted(chunks);
    if (total <= budget)
      return { chunks, contentAt, kept: shown, dropped: pathOnly, skipped, totalTokens: total };
    // Over by boundary effects: lower the last-placed files (a whole file with an outline to its
    // outline, anything else to its path) until the excess is covered.
    let excess = total - budget;
    let changed = false;
    for (let i = order.length - 1; i >= 0 && excess > 0; i--) {
      const entry = order[i]!;
      if (entry.level === "path") continue;
      const file = byName.get(entry.path) as PackedFile;
      changed = true;
      if (entry.level === "whole" && file.outline) {
        entry.level = "outline";
        excess -= file.tokens - file.outline.tokens;
      } else {
        excess -=
          (entry.level === "outline" && file.outline ? file.outline.tokens : file.tokens) + 1;
        entry.level = "path";
      }
    }
    // Everything is a path and it still does not fit (the note pushed it over): drop files.
    if (!changed) return undefined;
  }
}
