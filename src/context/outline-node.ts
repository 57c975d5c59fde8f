/**
 * The tree-sitter side of an outline (outline.ts): the subset of web-tree-sitter's node and
 * parser read, the ranges an outline leaves out, and whether a tree's syntax errors all lie
 * inside them.
 */
import { lineComment, type OutlineLanguage } from "./outline-languages.ts";

/** The subset of web-tree-sitter's node the outline modules read. */
export interface SyntaxNode {
  /** Unique within its tree. */
  id: number;
  type: string;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
  namedChildren: (SyntaxNode | null)[];
  children: (SyntaxNode | null)[];
  hasError: boolean;
  isMissing: boolean;
  parent: SyntaxNode | null;
  previousNamedSibling: SyntaxNode | null;
  nextNamedSibling: SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
  /** In document order (pre-order), nested ones included; one call into the wasm. */
  descendantsOfType(types: string[]): SyntaxNode[];
  text: string;
}

export interface LoadedParser {
  parse(text: string): { rootNode: SyntaxNode; delete(): void } | null;
  language: { types: string[] };
}

/** Text [start, end) replaced, and the lines it left out (0: part of a line). */
export interface Elision {
  start: number;
  end: number;
  replacement: string;
  lines: number;
}

/** Statements (JavaScript and TypeScript) whose blocks outside bodies are left out. */

/** The elisions so far, disjoint, by start: whether `at` falls in one. */
export class Covered {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  add(start: number, end: number): void {
    let i = this.starts.length;
    while (i > 0 && this.starts[i - 1]! > start) i--;
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
  }

  has(at: number): boolean {
    return this.endOf(at) !== undefined;
  }

  /** The end of the elision that holds `at`, if one does. */
  endOf(at: number): number | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= at) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && at < this.ends[hi]! ? this.ends[hi] : undefined;
  }
}

/**
 * Whether every syntax error lies inside a braced body the outline leaves out: an ERROR node
 * within one elision whose text really ends with `}`. A MISSING node (a token the parser made
 * up, like the `}` of a body left open, which would stretch it over the rest of the file)
 * anywhere, or any error in a language without braces, keeps the file whole. Follows only the
 * nodes that hold an error.
 */
export function errorsLeftOut(
  root: SyntaxNode,
  covered: Covered,
  text: string,
  language: OutlineLanguage,
): boolean {
  if (lineComment[language]) return false;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.children) {
      if (!child) continue;
      if (child.isMissing) return false;
      if (!child.hasError) continue;
      if (child.type === "ERROR") {
        const end = covered.endOf(child.startIndex);
        if (end === undefined || child.endIndex > end || text[end - 1] !== "}") return false;
      }
      stack.push(child);
    }
  }
  return true;
}
