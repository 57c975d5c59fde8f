/**
 * Outlines (`context --compress`): a source file with the bodies of its functions and methods
 * left out, parsed with tree-sitter (web-tree-sitter and the prebuilt grammars of
 * @repomix/tree-sitter-wasms: no native build). What stays is everything else, as written:
 * imports, declarations with their full signatures, types and interfaces, classes with their
 * members' signatures, doc comments and docstrings. Each body left out becomes a marker that
 * says how many lines it had. A file that does not parse cleanly is kept whole, with a note.
 */
import { createRequire } from "node:module";
import type * as TreeSitter from "web-tree-sitter";
import {
  bodyOwners,
  lineComment,
  outlineLanguageOf,
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
  hasError: boolean;
  childForFieldName(name: string): SyntaxNode | null;
  text: string;
}

interface LoadedParser {
  parse(text: string): { rootNode: SyntaxNode; delete(): void } | null;
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
    if (root.hasError) return { text, fallback: "it has a syntax error" };
    const owners = new Set(bodyOwners[language]);
    const elisions: Elision[] = [];
    const defs = new Set<string>();
    const refs = new Set<string>();
    // One walk with a stack of its own (generated code nests deeper than the call stack goes):
    // the outermost elidable bodies; with symbols, the declarations outside them and every
    // name used anywhere.
    const stack: { node: SyntaxNode; inBody: boolean }[] = [{ node: root, inBody: false }];
    while (stack.length > 0) {
      const { node, inBody } = stack.pop()!;
      if (withSymbols) {
        if (!inBody && declaration.test(node.type)) {
          const name = node.childForFieldName("name")?.text;
          if (name && name.length >= 3 && name.length <= 80) defs.add(name);
        }
        if (nameLeaf.test(node.type) && node.namedChildren.length === 0) {
          const name = node.text;
          if (name.length >= 3 && name.length <= 80) refs.add(name);
        }
      }
      let elision: Elision | undefined;
      if (!inBody && owners.has(node.type)) {
        const body = node.childForFieldName("body");
        elision = (body && elide(language, node, body, text)) || undefined;
        if (elision) elisions.push(elision);
      }
      if (elision && !withSymbols) continue;
      const children = node.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i];
        if (!child) continue;
        const inside =
          inBody ||
          (elision !== undefined &&
            child.startIndex >= elision.start &&
            child.endIndex <= elision.end);
        stack.push({ node: child, inBody: inside });
      }
    }
    let out = "";
    let at = 0;
    let lines = 0;
    for (const e of elisions.sort((a, b) => a.start - b.start)) {
      if (e.start < at) continue;
      out += text.slice(at, e.start) + e.replacement;
      at = e.end;
      lines += e.lines;
    }
    for (const def of defs) refs.delete(def);
    return {
      text: out + text.slice(at),
      elidedLines: lines,
      ...(withSymbols ? { symbols: { defs: [...defs], refs: [...refs] } } : {}),
    };
  } finally {
    tree.delete();
  }
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
    const inner = braced ? last - first - 1 : last - first + 1;
    if (last === first || inner <= 0) return undefined;
    const marker = `/* … ${plural(inner)} */`;
    return {
      start: body.startIndex,
      end: body.endIndex,
      replacement: braced ? `{ ${marker} }` : marker,
      lines: inner,
    };
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
  return {
    start: from,
    end: body.endIndex,
    replacement: docstring ? `\n${indent}${marker}` : marker,
    lines,
  };
}
