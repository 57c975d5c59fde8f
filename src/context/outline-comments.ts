/**
 * Comments in an outline (outline.ts): which stay (doc comments, and comments leading a
 * declaration), what goes (comments that document nothing, JavaScript module boilerplate), and
 * the code inside doc comments (`@example` sections, fenced blocks) left out with a marker.
 */
import { plural } from "./outline-elide.ts";
import type { Elision, SyntaxNode } from "./outline-node.ts";

/** Comment node types (not their parts, like Rust's `doc_comment`). */
export const commentTypes = new Set(["comment", "line_comment", "block_comment"]);

/** Comments that are documentation by their syntax: JSDoc, Javadoc, `///`, Rust's `//!`. */
const docSyntax = /^(\/\*\*[^/]|\/\/\/|\/\/!)/;

/**
 * Whether a comment outside bodies stays: a doc comment, or one that leads what follows it
 * (on the next line, or a comment that does). Licence headers set apart by a blank line,
 * commented-out code and comments trailing a line of code document nothing and go.
 */
export function documents(
  comment: SyntaxNode,
  previous: SyntaxNode | undefined,
  next: SyntaxNode | undefined,
  nextCommentKept: boolean,
  text: string,
): boolean {
  if (docSyntax.test(text.slice(comment.startIndex, comment.startIndex + 4))) return true;
  if (previous && lastRow(previous, text) === comment.startPosition.row) return false;
  if (!next || next.startPosition.row > lastRow(comment, text) + 1) return false;
  return commentTypes.has(next.type) ? nextCommentKept : declares(next);
}

/** The row of a node's last character (some grammars end a line comment after its newline). */
function lastRow(node: SyntaxNode, text: string): number {
  const end = node.endPosition;
  return end.column === 0 && text[node.endIndex - 1] === "\n" ? end.row - 1 : end.row;
}

const declarationLike =
  /declaration|definition|_item$|^method|^class|^module$|field|property|signature|^export_statement|^decorated|^pair$|^enum|^struct|^impl|^trait|^type|^interface|^namespace|^assignment|^preproc_(def|function_def)|_spec$|^package_clause$|^decorator$/;

/** Whether a statement declares something (so the comment before it documents it). */
function declares(node: SyntaxNode): boolean {
  if (declarationLike.test(node.type)) return true;
  // `exports.x = …`, Python's `X = …`: an assignment as a statement.
  return (
    node.type === "expression_statement" && /^assignment/.test(node.namedChildren[0]?.type ?? "")
  );
}

/**
 * The `@example` sections and fenced code blocks of a doc comment (`/** … *\/`): code too, so
 * each goes with a marker on its first line (` * @example … 12 lines`, `` * ```ts … 6 lines``);
 * the description and the other tags stay.
 */
export function examples(comment: SyntaxNode, text: string): Elision[] {
  const start = comment.startIndex;
  if (!text.startsWith("/**", start)) return [];
  const source = text.slice(start, comment.endIndex);
  if (!source.includes("@example") && !source.includes("```")) return [];
  const out: Elision[] = [];
  const lines = source.split("\n");
  let offset = 0;
  let open: { at: number; count: number; example: boolean } | undefined;
  const close = (end: number) => {
    if (open && open.count >= 2)
      out.push({
        start: start + open.at,
        end: start + end,
        replacement: ` … ${plural(open.count)}`,
        lines: open.count,
      });
    open = undefined;
  };
  // Inside a fenced block (of an example or on its own), `@Decorator` lines are code, not tags.
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i === lines.length - 1) {
      close(offset - 1);
      break;
    }
    if (/^\s*\*?\s*```/.test(line)) {
      if (open?.example) {
        fenced = !fenced;
        open.count++;
      } else if (fenced) {
        // The closing fence of a block on its own stays, after the marker.
        close(offset - 1);
        fenced = false;
      } else {
        open = { at: offset + line.length, count: 0, example: false };
        fenced = true;
      }
    } else if (!fenced && /^\s*\*?\s*@\w/.test(line)) {
      close(offset - 1);
      if (/@example\b/.test(line)) open = { at: offset + line.length, count: 0, example: true };
    } else if (open) open.count++;
    offset += line.length + 1;
  }
  return out;
}

/**
 * JavaScript module boilerplate that says nothing about what a module offers: the strict-mode
 * directive and the `__esModule` / `Symbol.toStringTag` marks that compilers add to CommonJS.
 */
export const boilerplate = new RegExp(
  [
    /^["']use strict["'];?$/,
    /^Object\.defineProperty\(exports,\s*(["']__esModule["']|Symbol\.toStringTag),\s*\{\s*value:\s*(true|!0|["']Module["'])\s*\}\);?$/,
    /^Object\.defineProperties\(exports,\s*\{\s*__esModule:\s*\{\s*value:\s*true\s*\},\s*\[Symbol\.toStringTag\]:\s*\{\s*value:\s*["']Module["']\s*\},?\s*\}\);?$/,
  ]
    .map((r) => r.source)
    .join("|"),
);

/**
 * A comment (or a statement) taken out: its whole line when it has one to itself, with a
 * blank line after it when one is before it too; else the comment alone.
 */
export function dropLine(comment: SyntaxNode, text: string): Elision {
  const lineStart = text.lastIndexOf("\n", comment.startIndex - 1) + 1;
  const before = text.slice(lineStart, comment.startIndex);
  const newline = text.indexOf("\n", comment.endIndex);
  const lineEnd = newline === -1 ? text.length : newline;
  if (before.trim() === "" && text.slice(comment.endIndex, lineEnd).trim() === "") {
    let end = Math.min(lineEnd + 1, text.length);
    const blankBefore =
      lineStart === 0 ||
      text.slice(text.lastIndexOf("\n", lineStart - 2) + 1, lineStart).trim() === "";
    const blankAfter = /^[ \t]*\n/.exec(text.slice(end, end + 200));
    if (blankBefore && blankAfter) end += blankAfter[0].length;
    return { start: lineStart, end, replacement: "", lines: 0 };
  }
  return {
    start: lineStart + before.trimEnd().length,
    end: comment.endIndex,
    replacement: "",
    lines: 0,
  };
}
