/**
 * What an outline (outline.ts) leaves out, one node at a time: a function's body, a long
 * literal value, a long initializer that is not code, a module-level JavaScript block. Each
 * becomes a marker that says how many lines it had, and only when the marker is shorter than
 * what it replaces. Pure: the nodes are web-tree-sitter's, read through `SyntaxNode` (outline-node.ts).
 */
import { lineComment, valueNodes, type OutlineLanguage } from "./outline-languages.ts";
import type { Elision, SyntaxNode } from "./outline-node.ts";

export const controlFlow = new Set([
  "if_statement",
  "else_clause",
  "for_statement",
  "for_in_statement",
  "while_statement",
  "do_statement",
  "try_statement",
  "catch_clause",
  "finally_clause",
]);

export const plural = (n: number) => `${n} line${n === 1 ? "" : "s"}`;

/** The body replaced by a marker, when it has lines to leave out. */
export function elide(
  language: OutlineLanguage,
  owner: SyntaxNode,
  body: SyntaxNode,
  text: string,
): Elision | undefined {
  const first = body.startPosition.row;
  const last = body.endPosition.row;
  const comment = lineComment[language];
  if (!comment) {
    // A braced block (or an arrow function's expression): what is inside goes.
    const braced = text[body.startIndex] === "{" && text[body.endIndex - 1] === "}";
    if (last === first) {
      // On one line (minified code, one-line accessors): only when there is much to leave out.
      const inner = text.slice(
        body.startIndex + (braced ? 1 : 0),
        body.endIndex - (braced ? 1 : 0),
      );
      if (inner.trim().length <= oneLineLimit) return undefined;
      return {
        start: body.startIndex,
        end: body.endIndex,
        replacement: braced ? "{ … }" : "/* … */",
        lines: 0,
      };
    }
    const inner = braced ? last - first - 1 : last - first + 1;
    if (inner <= 0) return undefined;
    const marker = `/* … ${plural(inner)} */`;
    const replacement = braced ? `{ ${marker} }` : marker;
    if (!saves(text.slice(body.startIndex, body.endIndex), replacement)) return undefined;
    return { start: body.startIndex, end: body.endIndex, replacement, lines: inner };
  }
  // Python and Ruby: the block's statements go; a docstring (Python) stays.
  const statements = body.namedChildren.filter((c): c is SyntaxNode => c !== null);
  const head = statements[0];
  const docstring =
    language === "python" &&
    head?.type === "expression_statement" &&
    head.namedChildren[0]?.type === "string"
      ? head
      : undefined;
  const from = docstring ? docstring.endIndex : body.startIndex;
  const fromRow = docstring ? docstring.endPosition.row + 1 : first;
  const lines = last - fromRow + 1;
  // A one-liner (`def f(): return 1`) stays as it is.
  if (lines <= 0 || first === owner.startPosition.row) return undefined;
  const indent = " ".repeat(body.startPosition.column);
  const marker = `${language === "python" ? "... " : ""}${comment} … ${plural(lines)}`;
  if (!saves(text.slice(from, body.endIndex), marker)) return undefined;
  return {
    start: from,
    end: body.endIndex,
    replacement: docstring ? `\n${indent}${marker}` : marker,
    lines,
  };
}

/**
 * Whether a marker is worth it: a body no longer than its marker (`{ return x; }`) says more
 * than `{ /* … 1 line *\/ }` for the same tokens, so it stays.
 */
function saves(replaced: string, replacement: string): boolean {
  if (replaced.length > 400) return true;
  return replaced.replace(/\s+/g, " ").trim().length > replacement.length + 8;
}

/** A body or a value on one line is left out only when longer than this (characters). */
const oneLineLimit = 20;
/** A value is left out when it spans more lines than this inside its brackets… */
const valueLineLimit = 1;
/** …or is longer than this (characters). */
const valueLengthLimit = 120;

/** An initializer longer than this (characters) is left out, unless it holds functions. */
const initializerLimit = 60;
/** Source text that defines a function or a class (or a method in an object literal). */
const definesCode: Partial<Record<OutlineLanguage, RegExp>> & { default: RegExp } = {
  python: /\b(lambda|def|class)\b/,
  ruby: /\b(lambda|proc|def|do)\b|->/,
  default: /\bfunction\b|=>|\bclass\b|\)\s*\{|\bfunc\b|->/,
};

/**
 * The value given to a name outside bodies, when long and not code: `const TABLE = /* … *\/`,
 * `X = ...  # … 12 lines` (Python). Functions, classes and objects holding methods stay, with
 * their bodies left out.
 */
export function elideInitializer(
  language: OutlineLanguage,
  value: SyntaxNode,
  text: string,
): Elision | undefined {
  const source = text.slice(value.startIndex, value.endIndex);
  const lines = value.endPosition.row - value.startPosition.row + 1;
  if (lines === 1 && source.length <= initializerLimit) return undefined;
  // What the value is under `x satisfies T`, `x as const`, `(x)` and Go's `var a = x`.
  let inner: SyntaxNode = value;
  while (wrapper.test(inner.type) && inner.namedChildren[0]) inner = inner.namedChildren[0];
  // Functions keep their signatures; literals are `elideValue`'s, which keeps their brackets.
  if (functionValue.test(inner.type) || valueNodes[language].includes(inner.type)) return undefined;
  // A call (`defineComponent({ setup() { … } })`) or an object may hold the functions it
  // defines; other expressions (`(this && this.__x) || function () { … }`) are glue.
  if (mayHoldCode.test(inner.type) && (definesCode[language] ?? definesCode.default).test(source))
    return undefined;
  const comment = lineComment[language];
  const count = lines > 1 ? ` ${plural(lines)}` : "";
  // A line comment would swallow what follows the value on its last line (`X = f(\n…); Y = 3`).
  const lineEnd = text.indexOf("\n", value.endIndex);
  const restOfLine = text.slice(value.endIndex, lineEnd === -1 ? text.length : lineEnd);
  const replacement = comment
    ? `...${count && restOfLine.trim() === "" ? `  ${comment} …${count}` : ""}`
    : `/* …${count} */`;
  if (!saves(source, replacement)) return undefined;
  return {
    start: value.startIndex,
    end: value.endIndex,
    replacement,
    lines: lines > 1 ? lines : 0,
  };
}

/** Expressions around a value: what they wrap decides. */
const wrapper =
  /^(satisfies_expression|as_expression|parenthesized_expression|expression_list|non_null_expression)$/;

const mayHoldCode = /call|new_expression|object|dictionary|hash|struct|composite/;
const functionValue =
  /^(function|function_expression|arrow_function|generator_function|class|class_expression|lambda|lambda_expression|closure_expression|func_literal)$/;

/**
 * A long literal value (outside bodies) replaced by its brackets or quotes around a marker:
 * `{ /* … 40 lines *\/ }`, `[...]`, `"… 3 lines"`. A JavaScript object that holds functions
 * or methods stays (its members' bodies go): it is an API, not a table.
 */
export function elideValue(
  language: OutlineLanguage,
  node: SyntaxNode,
  text: string,
): Elision | undefined {
  const elision = valueElision(language, node, text);
  return elision && saves(text.slice(elision.start, elision.end), elision.replacement)
    ? elision
    : undefined;
}

function valueElision(
  language: OutlineLanguage,
  node: SyntaxNode,
  text: string,
): Elision | undefined {
  const first = node.startPosition.row;
  const last = node.endPosition.row;
  const source = text.slice(node.startIndex, node.endIndex);
  if (last - first - 1 <= valueLineLimit && source.length <= valueLengthLimit) return undefined;
  const comment = lineComment[language];
  if (node.type === "object") {
    // An export list (`module.exports = { parse, stringify, … }`) is an API too.
    let shorthand = true;
    for (const member of node.namedChildren) {
      if (!member) continue;
      if (member.type === "method_definition") return undefined;
      const value = member.type === "pair" ? member.childForFieldName("value") : null;
      if (value && functionValue.test(value.type)) return undefined;
      if (member.type !== "shorthand_property_identifier" && member.type !== "comment")
        shorthand = false;
    }
    if (shorthand) return undefined;
  }
  // Python's `__all__ = [ … ]` names what a module exports.
  if (language === "python" && (node.type === "list" || node.type === "tuple")) {
    const assignment = node.parent;
    if (
      assignment?.type === "assignment" &&
      assignment.childForFieldName("left")?.text === "__all__"
    )
      return undefined;
  }
  if (node.type === "string" || node.type === "template_string") {
    const open = /^[A-Za-z]*("""|'''|"|'|`)/.exec(source);
    if (!open || !source.endsWith(open[1]!)) return undefined;
    const lines = last - first + 1;
    return {
      start: node.startIndex,
      end: node.endIndex,
      replacement: `${open[0]}…${lines > 1 ? ` ${plural(lines)}` : ""}${open[1]}`,
      lines: lines > 1 ? lines : 0,
    };
  }
  if (node.type === "concatenated_string") {
    const lines = last - first + 1;
    return {
      start: node.startIndex,
      end: node.endIndex,
      replacement: `"…${lines > 1 ? ` ${plural(lines)}` : ""}"`,
      lines: lines > 1 ? lines : 0,
    };
  }
  const bracket = /[[({]/.exec(source);
  const close = source.at(-1);
  if (!bracket || !close || !")]}".includes(close)) return undefined;
  const open = source.slice(0, bracket.index + 1);
  const inner = last - first - 1;
  if (inner <= 0) {
    return {
      start: node.startIndex,
      end: node.endIndex,
      replacement: comment ? `${open}...${close}` : `${open} /* … */ ${close}`,
      lines: 0,
    };
  }
  const lastLine = text.lastIndexOf("\n", node.endIndex - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lastLine, node.endIndex))![0];
  return {
    start: node.startIndex,
    end: node.endIndex,
    replacement: comment
      ? `${open}  ${comment} … ${plural(inner)}\n${indent}${close}`
      : `${open} /* … ${plural(inner)} */ ${close}`,
    lines: inner,
  };
}
