/**
 * The repository map (`context --budget N --map`, and the spec and plan phases): when the
 * selected files do not all fit whole, every one of them is still in the document at one of
 * three levels — whole, outline (outline.ts), or its path only — chosen by rank:
 *
 * 1. files the text names (explicit paths, diffs, a plan's files: selection rank ≥ plan) whole,
 *    strongest first (an outline, then the path, when the whole file does not fit);
 * 2. the rest by a PageRank over the reference graph the outlines give (an edge from a file to
 *    each file that declares a name it uses), personalised towards the named and grep-matched
 *    files, as Aider's repository map does: each gets its outline (a file with no outline, its
 *    whole text) while it fits;
 * 3. every other file by its path only, in the directory structure.
 *
 * Pure: the counts are the files' own; assemble.ts renders, counts the document exactly and
 * lowers the last files' levels until it fits.
 */
import type { FileSymbols } from "./outline.ts";
import { selectionRank } from "./types.ts";

export type MapLevel = "whole" | "outline" | "path";

export interface MapItem {
  path: string;
  /** Selection rank (types.ts selectionRank). */
  rank: number;
  tokens: number;
  /** The outline's tokens, when the file has an outline that differs from it. */
  outlineTokens?: number;
  symbols?: FileSymbols;
  /** Tokens the file's wrapper costs when its content is in the document. */
  overhead: number;
}

export interface MapPlan {
  /** Highest priority first: the order levels were given, and the reverse of lowering them. */
  order: { path: string; level: MapLevel }[];
  /** PageRank of each file (sums to 1). */
  pageRank: Map<string, number>;
}

const damping = 0.85;
const iterations = 40;

/**
 * PageRank over "uses a name declared in", personalised towards `favoured` files. A file's rank
 * flows through each name it uses (weight 1 each) to the files declaring that name (1/k each of
 * k); computed through the names, so a name declared in many files and used in many others
 * costs their sum per round, not their product.
 */
export function rankByReferences(
  items: readonly MapItem[],
  favoured: (item: MapItem) => number,
): Map<string, number> {
  const n = items.length;
  const nameIndex = new Map<string, number>();
  const definers: number[][] = [];
  items.forEach((item, i) => {
    for (const def of item.symbols?.defs ?? []) {
      let k = nameIndex.get(def);
      if (k === undefined) {
        k = definers.push([]) - 1;
        nameIndex.set(def, k);
      }
      definers[k]!.push(i);
    }
  });
  // Each file's used names that some other file declares (a file's own names are not in its refs).
  const uses = items.map((item) =>
    (item.symbols?.refs ?? []).flatMap((ref) => {
      const k = nameIndex.get(ref);
      return k === undefined ? [] : [k];
    }),
  );
  const weights = items.map((item) => favoured(item));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const personal = weightSum > 0 ? weights.map((w) => w / weightSum) : items.map(() => 1 / n);
  let rank = [...personal];
  const nameMass = new Float64Array(definers.length);
  for (let round = 0; round < iterations; round++) {
    const next = personal.map((p) => (1 - damping) * p);
    nameMass.fill(0);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const used = uses[i]!;
      if (used.length === 0) {
        dangling += rank[i]!;
        continue;
      }
      const share = (damping * rank[i]!) / used.length;
      for (const k of used) nameMass[k]! += share;
    }
    for (let k = 0; k < definers.length; k++) {
      const mass = nameMass[k]!;
      if (mass === 0) continue;
      const list = definers[k]!;
      for (const j of list) next[j]! += mass / list.length;
    }
    for (let j = 0; j < n; j++) next[j]! += damping * dangling * personal[j]!;
    rank = next;
  }
  return new Map(items.map((item, i) => [item.path, rank[i]!]));
}

/** Named by the text: explicit paths, diffs and a plan's files (not grep matches). */
export const isNamed = (item: { rank: number }) => item.rank >= selectionRank.plan;

/** Levels for every file under `budget` tokens, `fixed` of them taken by the frame. */
export function planLevels(items: readonly MapItem[], budget: number, fixed: number): MapPlan {
  const pageRank = rankByReferences(items, (item) =>
    isNamed(item) ? 4 : item.rank >= selectionRank.grep ? 1 : 0,
  );
  const rankOf = (item: MapItem) => pageRank.get(item.path) ?? 0;
  // Among files named alike (a directory pathspec names many), the better referenced first.
  const named = items
    .filter(isNamed)
    .sort(
      (a, b) =>
        b.rank - a.rank || rankOf(b) - rankOf(a) || a.tokens - b.tokens || compare(a.path, b.path),
    );
  const ranked = items
    .filter((item) => !isNamed(item))
    .sort(
      (a, b) =>
        (pageRank.get(b.path) ?? 0) - (pageRank.get(a.path) ?? 0) ||
        b.rank - a.rank ||
        compare(a.path, b.path),
    );
  let used = fixed;
  const fits = (tokens: number, item: MapItem) => used + tokens + item.overhead <= budget;
  const order: MapPlan["order"] = [];
  const place = (item: MapItem, levels: ("whole" | "outline")[]) => {
    for (const level of levels) {
      const tokens = level === "whole" ? item.tokens : item.outlineTokens;
      if (tokens === undefined || !fits(tokens, item)) continue;
      used += tokens + item.overhead;
      order.push({ path: item.path, level });
      return;
    }
    order.push({ path: item.path, level: "path" });
  };
  for (const item of named) place(item, ["whole", "outline"]);
  for (const item of ranked)
    place(item, item.outlineTokens === undefined ? ["whole"] : ["outline"]);
  // Room left: outlines become whole files again, best ranked first.
  const byPath = new Map(items.map((item) => [item.path, item]));
  for (const entry of order) {
    const item = byPath.get(entry.path)!;
    if (entry.level !== "outline" || item.outlineTokens === undefined) continue;
    const more = item.tokens - item.outlineTokens;
    if (used + more > budget) continue;
    used += more;
    entry.level = "whole";
  }
  return { order, pageRank };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
