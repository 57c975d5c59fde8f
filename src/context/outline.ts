/**
 * Outlines (`context --compress`, the map, a step's related files): a source file with the
 * bodies of its functions and methods left out, parsed with tree-sitter (web-tree-sitter and the
 * prebuilt grammars of @repomix/tree-sitter-wasms: no native build). What stays, as written:
 * imports, declarations with their full signatures, types and interfaces, classes with their
 * members' signatures, doc comments and docstrings, export lists. Each body left out becomes a
 * marker that says how many lines it had, unless the body is no longer than the marker. Outside
 * bodies, long literal values, long initializers that are not code, module-level JavaScript
 * blocks, doc comments' examples and comments that document nothing go too (README). A file
 * that does not parse cleanly is kept whole, with a note, unless its only errors lie inside
 * braced bodies the outline leaves out.
 */
import { createRequire } from "node:module";
import type * as TreeSitter from "web-tree-sitter";
import {
  bodyOwners,
  initializers,
  lineComment,
  outlineLanguageOf,
  valueNodes,
  type OutlineLanguage,
} from "./outline-languages.ts";

export { outlineLanguageOf, type OutlineLanguage } from "./outline-languages.ts";

/** The subset of web-tree-sitter's node this module reads. */
interface SyntaxNode {
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

interface LoadedParser {
  parse(text: string): { rootNode: SyntaxNode; delete(): void } | null;
  language: { types: string[] };
}

/** Names a file declares and names it uses: the edges of the repository map (map.ts). */
export interface FileSymbols {
  defs: string[];
  refs: string[];
}

export type OutlineResult =
  /** The outline, and how many lines of bodies it left out (0: nothing to leave out). */
  | { text: string; elidedLines: number; symbols?: FileSymbols }
  /** Kept whole, and why. */
  | { text: string; fallback: string };

export interface Outliner {
  /**
   * The file's outline (with `symbols`, also the names it declares and uses); undefined when
   * its language is not one that is outlined.
   */
  outline(text: string, file: string, options?: { symbols?: boolean }): OutlineResult | undefined;
}

const require = createRequire(import.meta.url);
let runtime: Promise<typeof TreeSitter> | undefined;
const parsers = new Map<OutlineLanguage, Promise<LoadedParser>>();

async function parserFor(language: OutlineLanguage): Promise<LoadedParser> {
  let loading = parsers.get(language);
  if (!loading) {
    loading = (async () => {
      runtime ??= import("web-tree-sitter").then(async (module) => {
        await module.Parser.init();
        return module;
      });
      const { Parser, Language } = await runtime;
      const wasm = require.resolve(`@repomix/tree-sitter-wasms/out/tree-sitter-${language}.wasm`);
      const parser = new Parser();
      parser.setLanguage(await Language.load(wasm));
      return parser as unknown as LoadedParser;
    })();
    parsers.set(language, loading);
  }
  return loading;
}

/**
 * An outliner for the files given (their languages' grammars loaded first, once per process);
 * outlining itself is synchronous.
 */
export async function loadOutliner(files: Iterable<string>): Promise<Outliner> {
  const needed = new Set<OutlineLanguage>();
  for (const file of files) {
    const language = outlineLanguageOf(file);
    if (language) needed.add(language);
  }
  const loaded = new Map<OutlineLanguage, LoadedParser>();
  for (const language of needed) loaded.set(language, await parserFor(language));
  return {
    outline(text, file, options = {}) {
      const language = outlineLanguageOf(file);
      const parser = language && loaded.get(language);
      if (!language || !parser) return undefined;
      try {
        return outlineWith(parser, language, text, options.symbols === true);
      } catch (error) {
        // Whatever goes wrong in one file (a tree too large for the wasm heap) keeps it whole.
        const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
        return { text, fallback: `it could not be outlined (${why})` };
      }
    },
  };
}

interface Elision {
  start: number;
  end: number;
  replacement: string;
  lines: number;
}

/** Declarations whose `name` field is a definition. */
const declaration =
  /(declaration|definition|_item|^method$|^singleton_method$|^class$|^module$|^type_spec$|^variable_declarator$|^function_signature$|^method_signature$|^abstract_method_signature$)/;
/** Leaves that name something. */
const nameLeaf =
  /^(identifier|type_identifier|property_identifier|field_identifier|constant|name|shorthand_property_identifier)$/;

/** Per language, the node types one query asks the tree for (language.ts tables). */
interface Kinds {
  candidates: string[];
  owners: Set<string>;
  values: Set<string>;
  fields: Readonly<Record<string, string>>;
  comments: Set<string>;
  declarations: string[];
  names: string[];
}
const kindsByLanguage = new Map<OutlineLanguage, Kinds>();

function kindsOf(language: OutlineLanguage, parser: LoadedParser): Kinds {
  let kinds = kindsByLanguage.get(language);
  if (!kinds) {
    const types = new Set(parser.language.types.filter((t): t is string => Boolean(t)));
    const comments = new Set([...types].filter((t) => commentTypes.has(t)));
    const fields = initializers[language];
    const owners = new Set(bodyOwners[language]);
    const values = new Set(valueNodes[language]);
    kinds = {
      candidates: [
        ...owners,
        ...values,
        ...Object.keys(fields),
        ...comments,
        ...(lineComment[language] || language === "go" ? [] : ["statement_block"]),
      ].filter((t) => types.has(t)),
      owners,
      values,
      fields,
      comments,
      declarations: [...types].filter((t) => declaration.test(t)),
      names: [...types].filter((t) => nameLeaf.test(t)),
    };
    kindsByLanguage.set(language, kinds);
  }
  return kinds;
}

/** Comment node types (not their parts, like Rust's `doc_comment`). */
const commentTypes = new Set(["comment", "line_comment", "block_comment"]);

/** The elisions so far, disjoint, by start: whether `at` falls in one. */
class Covered {
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

function outlineWith(
  parser: LoadedParser,
  language: OutlineLanguage,
  text: string,
  withSymbols: boolean,
): OutlineResult {
  const tree = parser.parse(text);
  if (!tree) return { text, fallback: "tree-sitter could not parse it" };
  try {
    const root = tree.rootNode;
    const kinds = kindsOf(language, parser);
    const elisions: Elision[] = [];
    const covered = new Covered();
    const take = (elision: Elision | undefined) => {
      if (!elision) return;
      elisions.push(elision);
      covered.add(elision.start, elision.end);
    };
    // One query for every node that may be left out, in document order: what lies inside
    // something already left out is passed over, so only the outermost count.
    const kept = new Map<number, boolean>();
    const keepsComment = (comment: SyntaxNode): boolean => {
      const known = kept.get(comment.startIndex);
      if (known !== undefined) return known;
      // The run of comments from this one on (a licence header is one comment a line), then
      // decided from the last backwards: each stays when what follows it does.
      const run = [comment];
      let after = comment.nextNamedSibling ?? undefined;
      while (after && kinds.comments.has(after.type) && !kept.has(after.startIndex)) {
        run.push(after);
        after = after.nextNamedSibling ?? undefined;
      }
      for (let i = run.length - 1; i >= 0; i--) {
        const next = run[i + 1] ?? after;
        const nextKept =
          next !== undefined && kinds.comments.has(next.type) && kept.get(next.startIndex) === true;
        kept.set(
          run[i]!.startIndex,
          documents(run[i]!, run[i]!.previousNamedSibling ?? undefined, next, nextKept, text),
        );
      }
      return kept.get(comment.startIndex)!;
    };
    for (const node of root.descendantsOfType(kinds.candidates)) {
      if (covered.has(node.startIndex)) continue;
      const type = node.type;
      if (kinds.comments.has(type)) {
        if (keepsComment(node)) for (const e of examples(node, text)) take(e);
        else take(dropLine(node, text));
      } else if (kinds.owners.has(type)) {
        const body = node.childForFieldName("body");
        if (body) take(elide(language, node, body, text));
      } else if (type === "statement_block") {
        // Code that runs when the module loads (`if (…) { … }` at the top): its blocks go.
        const parent = node.parent?.type;
        if (parent && controlFlow.has(parent)) take(elide(language, node, node, text));
      } else if (kinds.fields[type] !== undefined) {
        const value = node.childForFieldName(kinds.fields[type]);
        if (value && !kinds.owners.has(value.type)) take(elideInitializer(language, value, text));
      } else if (kinds.values.has(type)) {
        // A string that is a statement of its own is a docstring or a directive: it stays.
        if (type === "string" && node.parent?.type === "expression_statement") continue;
        take(elideValue(language, node, text));
      }
    }
    if (!lineComment[language] && language !== "go") {
      for (const child of root.namedChildren) {
        if (
          child?.type === "expression_statement" &&
          child.endIndex - child.startIndex < 240 &&
          boilerplate.test(text.slice(child.startIndex, child.endIndex))
        )
          take(dropLine(child, text));
      }
    }
    // A syntax error is harmless only inside a body the outline leaves out: tree-sitter stops
    // at a macro it cannot read in a C++ function body, and the outline is the same.
    if (root.hasError && !errorsLeftOut(root, covered, text, language))
      return { text, fallback: "it has a syntax error" };
    let out = "";
    let at = 0;
    let lines = 0;
    for (const e of elisions.sort((a, b) => a.start - b.start)) {
      if (e.start < at) continue;
      out += text.slice(at, e.start) + e.replacement;
      at = e.end;
      lines += e.lines;
    }
    return {
      text: out + text.slice(at),
      elidedLines: lines,
      ...(withSymbols ? { symbols: symbolsOf(root, kinds, covered) } : {}),
    };
  } finally {
    tree.delete();
  }
}

/**
 * Whether every syntax error lies inside a braced body the outline leaves out: an ERROR node
 * within one elision whose text really ends with `}`. A MISSING node (a token the parser made
 * up, like the `}` of a body left open, which would stretch it over the rest of the file)
 * anywhere, or any error in a language without braces, keeps the file whole. Follows only the
 * nodes that hold an error.
 */
function errorsLeftOut(
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

/**
 * The names a file declares (outside what its outline leaves out) and the names it uses
 * anywhere, for the repository map's graph.
 */
function symbolsOf(root: SyntaxNode, kinds: Kinds, covered: Covered): FileSymbols {
  const defs = new Set<string>();
  const refs = new Set<string>();
  for (const node of root.descendantsOfType(kinds.declarations)) {
    if (covered.has(node.startIndex)) continue;
    const name = node.childForFieldName("name")?.text;
    if (name && name.length >= 3 && name.length <= 80) defs.add(name);
  }
  for (const node of root.descendantsOfType(kinds.names)) {
    const name = node.text;
    if (name.length >= 3 && name.length <= 80) refs.add(name);
  }
  for (const def of defs) refs.delete(def);
  return { defs: [...defs], refs: [...refs] };
}

/** Statements (JavaScript and TypeScript) whose blocks outside bodies are left out. */
const controlFlow = new Set([
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

/** Comments that are documentation by their syntax: JSDoc, Javadoc, `///`, Rust's `//!`. */
const docSyntax = /^(\/\*\*[^/]|\/\/\/|\/\/!)/;

/**
 * Whether a comment outside bodies stays: a doc comment, or one that leads what follows it
 * (on the next line, or a comment that does). Licence headers set apart by a blank line,
 * commented-out code and comments trailing a line of code document nothing and go.
 */
function documents(
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
function examples(comment: SyntaxNode, text: string): Elision[] {
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
const boilerplate = new RegExp(
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
function dropLine(comment: SyntaxNode, text: string): Elision {
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

const plural = (n: number) => `${n} line${n === 1 ? "" : "s"}`;

/** The body replaced by a marker, when it has lines to leave out. */
function elide(
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
function elideInitializer(
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
function elideValue(
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
