/**
 * Outlines (context --compress) per language, on snippets written for the test and on real
 * files from node_modules: every declaration's signature and doc comment stays, the bodies are
 * gone, a marker says how many lines each had, and a file with a syntax error is kept whole.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadOutliner, outlineLanguageOf, type OutlineResult } from "../../src/context/outline.ts";
import { projectRoot } from "../helpers/git-repo.ts";

interface Sample {
  file: string;
  source: string;
  /** Lines that must stay, as written. */
  kept: string[];
  /** Text from the bodies, which must be gone. */
  gone: string[];
  elided: number;
}

/** The outline's text (the result is one that was outlined). */
const textOf = (result: OutlineResult | undefined) => (result as { text: string }).text;

const samples: Sample[] = [
  {
    file: "math.ts",
    source: `import { z } from "zod";\n\n/** A point. */\nexport interface Point {\n  x: number;\n  y: number;\n}\n\n/** Adds two numbers. */\nexport function add<T extends number>(a: T, b: T): number {\n  const sum = a + b;\n  return sum;\n}\n\nexport class Vec {\n  constructor(private readonly p: Point) {}\n  length(scale = 1): number {\n    const squared = this.p.x ** 2 + this.p.y ** 2;\n    return Math.sqrt(squared) * scale;\n  }\n}\n\nexport const double = (n: number): number => {\n  const twice = n * 2;\n  return twice;\n};\n`,
    kept: [
      'import { z } from "zod";',
      "/** A point. */",
      "export interface Point {",
      "  x: number;",
      "/** Adds two numbers. */",
      "export function add<T extends number>(a: T, b: T): number { /* … 2 lines */ }",
      "export class Vec {",
      "  constructor(private readonly p: Point) {}",
      "  length(scale = 1): number { /* … 2 lines */ }",
      "export const double = (n: number): number => { /* … 2 lines */ };",
    ],
    gone: ["const sum", "return sum", "squared", "twice"],
    elided: 6,
  },
  {
    file: "view.tsx",
    source: `import React from "react";\n\nexport type Props = { name: string };\n\nexport function Hello({ name }: Props): JSX.Element {\n  const text = \`hello \${name}\`;\n  return <p>{text}</p>;\n}\n`,
    kept: [
      "export type Props = { name: string };",
      "export function Hello({ name }: Props): JSX.Element { /* … 2 lines */ }",
    ],
    gone: ["const text", "<p>"],
    elided: 2,
  },
  {
    file: "util.mjs",
    source: `/**\n * Clamps.\n */\nexport function clamp(x, lo, hi) {\n  if (x < lo) return lo;\n  return x > hi ? hi : x;\n}\n\nexport default class Cache {\n  get(key) {\n    const hit = this.map.get(key);\n    return hit;\n  }\n}\n`,
    kept: [
      " * Clamps.",
      "export function clamp(x, lo, hi) { /* … 2 lines */ }",
      "export default class Cache {",
      "  get(key) { /* … 2 lines */ }",
    ],
    gone: ["return lo", "const hit"],
    elided: 4,
  },
  {
    file: "shapes.py",
    source: `import math\n\n\nclass Circle:\n    """A circle."""\n\n    def __init__(self, r: float) -> None:\n        self.r = r\n        self.area_cache = None\n\n    def area(self) -> float:\n        """The area."""\n        value = math.pi * self.r ** 2\n        return value\n\n\ndef unit() -> Circle:\n    made = Circle(1.0)\n    return made\n`,
    kept: [
      "class Circle:",
      '    """A circle."""',
      "    def __init__(self, r: float) -> None:",
      "        ... # … 2 lines",
      "    def area(self) -> float:",
      '        """The area."""',
      "        ... # … 2 lines",
      "def unit() -> Circle:",
      "    ... # … 2 lines",
    ],
    gone: ["self.r = r", "value =", "made ="],
    elided: 6,
  },
  {
    file: "server.go",
    source: `package server\n\nimport "net/http"\n\n// Handler serves.\ntype Handler struct {\n\tName string\n}\n\n// ServeHTTP answers.\nfunc (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(200)\n\t_, _ = w.Write([]byte(h.Name))\n}\n\nfunc New(name string) *Handler {\n\treturn &Handler{Name: name}\n}\n`,
    kept: [
      "type Handler struct {",
      "\tName string",
      "// ServeHTTP answers.",
      "func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { /* … 2 lines */ }",
      "func New(name string) *Handler { /* … 1 line */ }",
    ],
    gone: ["WriteHeader", "&Handler{"],
    elided: 3,
  },
  {
    file: "lib.rs",
    source: `use std::collections::HashMap;\n\n/// A store.\npub struct Store {\n    items: HashMap<String, u32>,\n}\n\nimpl Store {\n    /// Adds one.\n    pub fn add(&mut self, key: &str) -> u32 {\n        let n = self.items.entry(key.to_string()).or_insert(0);\n        *n += 1;\n        *n\n    }\n}\n\npub trait Named {\n    fn name(&self) -> String;\n}\n`,
    kept: [
      "pub struct Store {",
      "impl Store {",
      "    /// Adds one.",
      "    pub fn add(&mut self, key: &str) -> u32 { /* … 3 lines */ }",
      "    fn name(&self) -> String;",
    ],
    gone: ["or_insert", "*n += 1"],
    elided: 3,
  },
  {
    file: "Greeter.java",
    source: `package demo;\n\nimport java.util.List;\n\n/** Greets. */\npublic class Greeter implements Runnable {\n  private final String name;\n\n  public Greeter(String name) {\n    this.name = name;\n    this.count = 0;\n  }\n\n  /** Runs. */\n  @Override\n  public void run() {\n    System.out.println("Hello, " + name);\n  }\n}\n`,
    kept: [
      "public class Greeter implements Runnable {",
      "  private final String name;",
      "  public Greeter(String name) { /* … 2 lines */ }",
      "  /** Runs. */",
      "  public void run() { /* … 1 line */ }",
    ],
    gone: ["this.name = name", "println"],
    elided: 3,
  },
  {
    file: "list.c",
    source: `#include <stdlib.h>\n\nstruct node { int value; struct node *next; };\n\n/* Pushes a value. */\nstruct node *push(struct node *head, int value) {\n  struct node *n = malloc(sizeof *n);\n  n->value = value;\n  n->next = head;\n  return n;\n}\n`,
    kept: [
      "#include <stdlib.h>",
      "struct node { int value; struct node *next; };",
      "/* Pushes a value. */",
      "struct node *push(struct node *head, int value) { /* … 4 lines */ }",
    ],
    gone: ["malloc", "n->next"],
    elided: 4,
  },
  {
    file: "shape.hpp",
    source: `#pragma once\n#include <string>\n\nnamespace geo {\nclass Shape {\n public:\n  virtual ~Shape() = default;\n  virtual double area() const = 0;\n  std::string label() const {\n    return "shape of " + std::to_string(sides);\n  }\n};\n}  // namespace geo\n`,
    kept: [
      "namespace geo {",
      "class Shape {",
      "  virtual double area() const = 0;",
      "  std::string label() const { /* … 1 line */ }",
    ],
    gone: ['return "shape of'],
    elided: 1,
  },
  {
    file: "Account.cs",
    source: `using System;\n\nnamespace Bank {\n  /// <summary>An account.</summary>\n  public class Account {\n    public decimal Balance { get; private set; }\n\n    public void Deposit(decimal amount) {\n      if (amount <= 0) throw new ArgumentException("amount");\n      Balance += amount;\n    }\n  }\n}\n`,
    kept: [
      "  /// <summary>An account.</summary>",
      "  public class Account {",
      "    public decimal Balance { get; private set; }",
      "    public void Deposit(decimal amount) { /* … 2 lines */ }",
    ],
    gone: ["ArgumentException", "Balance += amount"],
    elided: 2,
  },
  {
    file: "greeter.rb",
    source: `require "json"\n\n# Greets people.\nclass Greeter\n  attr_reader :name\n\n  def initialize(name)\n    @name = name\n    @greeted = []\n  end\n\n  # Says hello.\n  def greet(other)\n    text = "hello #{other}"\n    puts text\n  end\nend\n`,
    kept: [
      "class Greeter",
      "  attr_reader :name",
      "  def initialize(name)",
      "    # … 2 lines",
      "  # Says hello.",
      "  def greet(other)",
      "    # … 2 lines",
      "  end",
    ],
    gone: ["@name = name", "puts text"],
    elided: 4,
  },
  {
    file: "Cart.php",
    source: `<?php\nnamespace Shop;\n\n/** A cart. */\nclass Cart {\n    private array $items = [];\n\n    public function add(string $sku, int $qty = 1): void {\n        $this->items[$sku] = ($this->items[$sku] ?? 0) + $qty;\n    }\n}\n\nfunction total(Cart $cart): int {\n    return count($cart->items()) * 2;\n}\n`,
    kept: [
      "/** A cart. */",
      "class Cart {",
      "    private array $items = [];",
      "    public function add(string $sku, int $qty = 1): void { /* … 1 line */ }",
      "function total(Cart $cart): int { /* … 1 line */ }",
    ],
    gone: ["$this->items[$sku] =", "return count"],
    elided: 2,
  },
];

describe("outlines", () => {
  it("cover the twelve languages by extension, and nothing else", () => {
    expect(new Set(samples.map((s) => outlineLanguageOf(s.file)))).toEqual(
      new Set([
        "typescript",
        "tsx",
        "javascript",
        "python",
        "go",
        "rust",
        "java",
        "c",
        "cpp",
        "c_sharp",
        "ruby",
        "php",
      ]),
    );
    expect(outlineLanguageOf("README.md")).toBeUndefined();
    expect(outlineLanguageOf("data.json")).toBeUndefined();
  });

  it.each(samples.map((s) => [s.file, s] as const))(
    "%s: signatures and doc comments stay, bodies go, the marker counts their lines",
    async (_file, sample) => {
      const outliner = await loadOutliner([sample.file]);
      const result = outliner.outline(sample.source, sample.file);
      expect(result && "elidedLines" in result, JSON.stringify(result)).toBe(true);
      const { text, elidedLines } = result as { text: string; elidedLines: number };
      const lines = text.split("\n");
      for (const line of sample.kept) expect(lines, text).toContain(line);
      for (const gone of sample.gone) expect(text).not.toContain(gone);
      expect(elidedLines).toBe(sample.elided);
    },
  );

  it("leave out long values, initializers, examples and comments that document nothing", async () => {
    const outliner = await loadOutliner(["table.js", "table.py"]);
    const table = Array.from({ length: 40 }, (_, i) => `  key${i}: "value ${i}",`).join("\n");
    const js = [
      "// Copyright 2026 Somebody. Licensed under the MIT licence.",
      "",
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      "const util = require('./util');",
      `const TABLE = {\n${table}\n};`,
      "const pattern = '[A-Za-z0-9]' + util.range(0x80, 0xff) + '[\\\\x00-\\\\x1f]' + util.escape('-._~');",
      "const small = { a: 1 };",
      "// const old = legacy(1);",
      "",
      "/**",
      " * Looks a key up.",
      " * @example",
      " * const found = lookUp('key1');",
      " * console.log(found);",
      " * @param {string} key the key",
      " */",
      "function lookUp(key) {",
      "  const found = TABLE[key];",
      "  return found === undefined ? null : found;",
      "}",
      "// What the module offers.",
      "module.exports = { lookUp, TABLE, get: (k) => lookUp(k) };",
      "const id = (x) => x; // trailing note",
      "if (process.env.DEBUG) {",
      "  util.enableDebugLogging(process.env.DEBUG);",
      "  util.log('debug on');",
      "}",
      "",
    ].join("\n");
    const out = outliner.outline(js, "table.js") as { text: string; elidedLines: number };
    expect(out.text).toBe(
      [
        "const util = require('./util');",
        "const TABLE = { /* … 40 lines */ };",
        "const pattern = /* … */;",
        "const small = { a: 1 };",
        "",
        "/**",
        " * Looks a key up.",
        " * @example … 2 lines",
        " * @param {string} key the key",
        " */",
        "function lookUp(key) { /* … 2 lines */ }",
        "// What the module offers.",
        "module.exports = { lookUp, TABLE, get: (k) => lookUp(k) };",
        "const id = (x) => x;",
        "if (process.env.DEBUG) { /* … 2 lines */ }",
        "",
      ].join("\n"),
    );
    expect(out.elidedLines).toBe(46);

    const rows = Array.from({ length: 30 }, (_, i) => `    ("row${i}", ${i}),`).join("\n");
    const py = [
      '"""Rows."""',
      "# Licence header.",
      "",
      `ROWS = [\n${rows}\n]`,
      "HELP = 'A long help text that goes on for a while, more than a line of code should. ' * 2",
      "# The rows by name.",
      "BY_NAME = {name: value for name, value in ROWS}",
      "",
      "def total():",
      '    """The sum."""',
      "    return sum(value for _, value in ROWS)",
      "",
    ].join("\n");
    const pyOut = outliner.outline(py, "table.py") as { text: string };
    expect(pyOut.text).toBe(
      [
        '"""Rows."""',
        "",
        "ROWS = [  # … 30 lines",
        "]",
        "HELP = ...",
        "# The rows by name.",
        "BY_NAME = {name: value for name, value in ROWS}",
        "",
        "def total():",
        '    """The sum."""',
        "    ... # … 1 line",
        "",
      ].join("\n"),
    );
  });

  it("outline a file whose only syntax errors are in bodies they leave out", async () => {
    const outliner = await loadOutliner(["table.cc"]);
    const inBody =
      '#include "table.h"\n\n/** Counts the rows. */\nint count(const Table& t) {\n  int total = 0;\n  FOR_EACH(t, row) total += row.size() ]];\n  return total;\n}\n';
    expect(outliner.outline(inBody, "table.cc")).toEqual({
      text: '#include "table.h"\n\n/** Counts the rows. */\nint count(const Table& t) { /* … 3 lines */ }\n',
      elidedLines: 3,
    });
    const outside = "EXPORT class ]] Table {\n public:\n  int size() const;\n};\n";
    expect(outliner.outline(outside, "table.cc")).toEqual({
      text: outside,
      fallback: "it has a syntax error",
    });
  });

  it("keep a file whole whose body is left open, and keep what documents or exports", async () => {
    const outliner = await loadOutliner(["a.c", "a.ts", "a.js", "a.go", "a.py"]);
    // A body without its `}`: the parser makes one up at the end, which would take g and h.
    const open = "int f(int a)\n{\n  if (a) {\n    a++;\n  return a;\n}\n\nint g(int b);\n";
    expect(outliner.outline(open, "a.c")).toEqual({
      text: open,
      fallback: "it has a syntax error",
    });

    const go = [
      "// Package shapes draws.",
      "package shapes",
      "",
      "const (",
      "\t// Sides of a square.",
      "\tSquare = 4",
      ")",
      "",
      "var Handler = func(w int, r string) {",
      "\tprintln(w, r, w*2, r+r, w*3, r+r+r)",
      "\tprintln(w, r, w*2, r+r, w*3, r+r+r)",
      "}",
      "",
    ].join("\n");
    const goOut = textOf(outliner.outline(go, "a.go"));
    expect(goOut).toContain("// Package shapes draws.\npackage shapes");
    expect(goOut).toContain("\t// Sides of a square.\n\tSquare = 4");
    expect(goOut).toContain("var Handler = func(w int, r string) { /* … 2 lines */ }");

    const ts = [
      "export class Api {",
      "  // Answers GET /users.",
      '  @Get("/users")',
      "  list(): string[] {",
      '    return this.store.all().map((user) => user.name + " " + user.id);',
      "  }",
      "}",
      "export const handlers = {",
      "  async getUser(id: string): Promise<string> {",
      "    const user = await this.store.find(id, { withGroups: true });",
      "    return user.name;",
      "  },",
      "} satisfies Handlers;",
      "",
    ].join("\n");
    const tsOut = textOf(outliner.outline(ts, "a.ts"));
    expect(tsOut).toContain('  // Answers GET /users.\n  @Get("/users")');
    expect(tsOut).toContain("  async getUser(id: string): Promise<string> { /* … 2 lines */ },");

    // Minified CommonJS: the statement that starts with the marks holds the exports too.
    const minified =
      '"use strict";Object.defineProperty(exports,"__esModule",{value:!0}),exports.parse=function(e){return e.trim().split(",").map(Number)},exports.VERSION="1.0.0";var z=1;\n';
    expect(textOf(outliner.outline(minified, "a.js"))).toContain("exports.parse=function(e){ … }");
    const exportList = "module.exports = {\n  parse,\n  stringify,\n  format,\n  VERSION,\n};\n";
    expect(textOf(outliner.outline(exportList, "a.js"))).toBe(exportList);

    const py = [
      "__all__ = [",
      '    "parse",',
      '    "stringify",',
      '    "format",',
      "]",
      "X = make(",
      "    1,",
      "    2,",
      "    3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,",
      "); Y = 3",
      "",
    ].join("\n");
    const pyOut = textOf(outliner.outline(py, "a.py"));
    expect(pyOut).toContain('__all__ = [\n    "parse",');
    expect(pyOut).toContain("X = ...; Y = 3");
  });

  it("leave an example's code out without taking the tags after it", async () => {
    const outliner = await loadOutliner(["e.ts"]);
    const source = [
      "/**",
      " * Registers a controller.",
      " * @example",
      " * ```ts",
      " * @Controller()",
      " * class Users {}",
      " * ```",
      " * @param target the class",
      " * @returns the class",
      " */",
      "export function register(target: Function): Function {",
      "  registry.push(target);",
      "  return target;",
      "}",
      "",
    ].join("\n");
    const text = textOf(outliner.outline(source, "e.ts"));
    expect(text).toContain(
      " * @example … 4 lines\n * @param target the class\n * @returns the class\n */",
    );
    expect(text).not.toContain("class Users");
  });

  it("decide a long run of comments without running out of stack", async () => {
    const outliner = await loadOutliner(["long.ts"]);
    const source = `${Array.from({ length: 20_000 }, (_, i) => `// note ${i}`).join("\n")}\nexport const x = 1;\n`;
    const result = outliner.outline(source, "long.ts");
    expect(result && "elidedLines" in result, JSON.stringify(result)?.slice(-200)).toBe(true);
    // The whole run leads the declaration, so it stays.
    expect(textOf(result)).toBe(source);
  });

  it("keep a body no longer than its marker", async () => {
    const outliner = await loadOutliner(["small.ts"]);
    const source = "export class A {\n  get x(): number {\n    return this._x;\n  }\n}\n";
    expect(outliner.outline(source, "small.ts")).toEqual({ text: source, elidedLines: 0 });
  });

  it("names what a file declares (not its locals or imports) and what it uses", async () => {
    const outliner = await loadOutliner(["math.ts", "shapes.py"]);
    const ts = outliner.outline(samples[0]!.source, "math.ts", { symbols: true });
    expect(ts && "symbols" in ts && ts.symbols).toBeTruthy();
    const { defs, refs } = (ts as { symbols: { defs: string[]; refs: string[] } }).symbols;
    expect(new Set(defs)).toEqual(
      new Set(["Point", "add", "Vec", "constructor", "length", "double"]),
    );
    expect(refs).toEqual(expect.arrayContaining(["Math", "sqrt"]));
    expect(defs).not.toContain("sum");
    const py = outliner.outline(samples[3]!.source, "shapes.py", { symbols: true });
    expect((py as { symbols: { defs: string[] } }).symbols.defs).toEqual(
      expect.arrayContaining(["Circle", "area", "unit"]),
    );
  });

  it("outlines generated code that nests deeper than the call stack goes", async () => {
    const outliner = await loadOutliner(["gen.js"]);
    const chain = `export const big = ${Array.from({ length: 15_000 }, (_, i) => `"s${i}"`).join(" +\n  ")};\n`;
    const source = `${chain}export function f(a) {\n  return a.concat(a).reverse().join(", ");\n}\n`;
    const result = outliner.outline(source, "gen.js", { symbols: true });
    expect(result && "elidedLines" in result, JSON.stringify(result)?.slice(0, 200)).toBe(true);
    expect(textOf(result)).toContain("export function f(a) { /* … 1 line */ }");
  });

  it("keeps a file with a syntax error whole, with the reason, and skips other files", async () => {
    const outliner = await loadOutliner(["bad.ts", "bad.py", "notes.md"]);
    const ts = "export function broken(a: number {\n  return a;\n}\n";
    expect(outliner.outline(ts, "bad.ts")).toEqual({ text: ts, fallback: "it has a syntax error" });
    const py = "def f(:\n    pass\n";
    expect(outliner.outline(py, "bad.py")).toEqual({ text: py, fallback: "it has a syntax error" });
    expect(outliner.outline("# notes\n", "notes.md")).toBeUndefined();
    // A language whose grammar was not loaded for this outliner is not outlined either.
    expect(outliner.outline("fn main() {}\n", "main.rs")).toBeUndefined();
  });

  it("on real files from node_modules: every function's signature stays, and the JS gets smaller", async () => {
    const files = [
      "node_modules/yaml/dist/compose/resolve-flow-scalar.js",
      "node_modules/yaml/dist/stringify/stringifyString.js",
      "node_modules/zod/v4/core/util.d.ts",
    ].map((f) => path.join(projectRoot, f));
    const outliner = await loadOutliner(files);
    for (const file of files) {
      const source = fs.readFileSync(file, "utf8");
      const result = outliner.outline(source, file);
      expect(
        result && "elidedLines" in result,
        `${file}: ${JSON.stringify(result)?.slice(0, 200)}`,
      ).toBe(true);
      const { text, elidedLines } = result as { text: string; elidedLines: number };
      const signatures = source
        .split("\n")
        .filter((l) =>
          /^\s*(export )?(declare )?(async )?function\s*\*?\s*\w+\s*(<[^>]*>)?\(.*\)/.test(l),
        )
        .map((l) => l.replace(/\s*\{\s*$/, "").trimEnd());
      expect(signatures.length, file).toBeGreaterThan(5);
      for (const signature of signatures) expect(text).toContain(signature);
      if (file.endsWith(".js")) {
        expect(elidedLines).toBeGreaterThan(50);
        expect(text.length).toBeLessThan(source.length * 0.6);
      }
    }
  });
});
