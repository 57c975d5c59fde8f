/**
 * The text operations behind the editor tool, pure so they can be tested without files:
 * counting occurrences, replacing one, inserting after a line, numbering lines for `view`.
 * Line numbers are 1-based as in Anthropic's text editor docs (`view_range`, `insert_line`).
 */
import { ToolError } from "./tool-result.ts";

/** Start offsets of every occurrence of `needle`, overlapping ones included ("aa" in "aaa": 2). */
export function findOccurrences(content: string, needle: string): number[] {
  const found: number[] = [];
  if (needle === "") return found;
  for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + 1)) {
    found.push(at);
  }
  return found;
}

/** 1-based line number of the character at `offset`. */
export function lineAt(content: string, offset: number): number {
  let line = 1;
  for (let at = content.indexOf("\n"); at !== -1 && at < offset; at = content.indexOf("\n", at + 1))
    line += 1;
  return line;
}

/** The file's lines without terminators; a trailing newline does not start another line. */
export function splitLines(content: string): string[] {
  if (content === "") return [];
  const lines = content.split("\n");
  if (content.endsWith("\n")) lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** "12: text" lines, the format of the docs' view example. */
export function numberLines(lines: readonly string[], firstLine: number): string[] {
  return lines.map((line, i) => `${firstLine + i}: ${line}`);
}

export interface ReplaceResult {
  content: string;
  /** Lines of the new text in the new content. */
  firstLine: number;
  lastLine: number;
}

/**
 * Replaces the single occurrence of `oldStr`. Zero or several occurrences are tool errors in
 * the wording of Anthropic's text editor docs ("No match found for replacement…", "Found 3
 * matches for replacement text…"), with the lines of the matches added.
 */
export function replaceUnique(content: string, oldStr: string, newStr: string): ReplaceResult {
  if (oldStr === "") throw new ToolError("old_str is empty; give the exact text to replace");
  const matches = findOccurrences(content, oldStr);
  if (matches.length === 0)
    throw new ToolError("No match found for replacement. Please check your text and try again.");
  if (matches.length > 1) {
    const lines = matches.map((at) => lineAt(content, at));
    throw new ToolError(
      `Found ${matches.length} matches for replacement text (starting on lines ${lines.join(", ")}). ` +
        "Please provide more context to make a unique match.",
    );
  }
  const at = matches[0] as number;
  // Slicing, not String.replace: "$&" or "$1" in new_str must stay literal.
  const next = content.slice(0, at) + newStr + content.slice(at + oldStr.length);
  const firstLine = lineAt(next, at);
  const lastLine = firstLine + Math.max(0, newStr.split("\n").length - 1);
  return { content: next, firstLine, lastLine };
}

/**
 * Inserts `text` as whole lines after line `afterLine` (0: at the top). A text without a final
 * newline gets one; in a CRLF file the inserted lines use CRLF too.
 */
export function insertAfterLine(content: string, afterLine: number, text: string): ReplaceResult {
  const lineCount = splitLines(content).length;
  if (!Number.isInteger(afterLine) || afterLine < 0 || afterLine > lineCount) {
    throw new ToolError(
      `insert_line ${afterLine} is out of range: the file has ${lineCount} lines ` +
        `(0 inserts at the top, ${lineCount} appends at the end)`,
    );
  }
  const eol = content.includes("\r\n") ? "\r\n" : "\n";
  let block = eol === "\r\n" ? text.replace(/\r?\n/g, "\r\n") : text;
  if (!block.endsWith("\n")) block += eol;
  let offset = 0;
  for (let line = 0; line < afterLine; line += 1) {
    const next = content.indexOf("\n", offset);
    offset = next === -1 ? content.length : next + 1;
  }
  // Appending after a last line that has no newline: end that line first.
  const head =
    offset === content.length && content !== "" && !content.endsWith("\n")
      ? content + eol
      : content.slice(0, offset);
  const added = splitLines(block).length;
  return {
    content: head + block + content.slice(offset),
    firstLine: afterLine + 1,
    lastLine: afterLine + added,
  };
}
