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
  javascriptFamily,
  outlineLanguageOf,
  valueNodes,
  type OutlineLanguage,
} from "./outline-languages.ts";

import { boilerplate, commentTypes, documents, dropLine, examples } from "./outline-comments.ts";
import { controlFlow, elide, elideInitializer, elideValue } from "./outline-elide.ts";
import {
  Covered,
  errorsLeftOut,
  type Elision,
  type LoadedParser,
  type SyntaxNode,
} from "./outline-node.ts";

export { outlineLanguageOf, type OutlineLanguage } from "./outline-languages.ts";

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
        ...(javascriptFamily.has(language) ? ["statement_block"] : []),
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
    // A node's named siblings, fetched once per parent: tree-sitter finds a sibling by walking
    // down from the root and along the parent's children, so stepping through a run of 20,000
    // comments one sibling at a time was quadratic.
    const families = new Map<number, { nodes: SyntaxNode[]; at: Map<number, number> }>();
    const familyOf = (parent: SyntaxNode) => {
      let family = families.get(parent.id);
      if (!family) {
        const nodes = parent.namedChildren.filter((n): n is SyntaxNode => n !== null);
        family = { nodes, at: new Map(nodes.map((n, i) => [n.id, i])) };
        families.set(parent.id, family);
      }
      return family;
    };
    const keepsComment = (comment: SyntaxNode): boolean => {
      const known = kept.get(comment.startIndex);
      if (known !== undefined) return known;
      // A comment is never the root, so it has a parent, among whose children it is.
      const { nodes, at } = familyOf(comment.parent!);
      const first = at.get(comment.id)!;
      // The run of comments from this one on (a licence header is one comment a line), then
      // decided from the last backwards: each stays when what follows it does.
      let end = first + 1;
      while (
        end < nodes.length &&
        kinds.comments.has(nodes[end]!.type) &&
        !kept.has(nodes[end]!.startIndex)
      )
        end++;
      for (let i = end - 1; i >= first; i--) {
        const next = nodes[i + 1];
        const nextKept =
          next !== undefined && kinds.comments.has(next.type) && kept.get(next.startIndex) === true;
        kept.set(nodes[i]!.startIndex, documents(nodes[i]!, nodes[i - 1], next, nextKept, text));
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
    if (javascriptFamily.has(language)) {
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
