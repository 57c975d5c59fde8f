/**
 * Which tracked files a source file imports, by its import statements resolved against the
 * tracked paths (a step's related files, related-outlines.ts). Read from the text with patterns,
 * not parsed: relative JavaScript and TypeScript specifiers (`./x`, `../y/index`, with or
 * without an extension, TypeScript's `./x.js` for `./x.ts`), Python's relative and absolute
 * imports (`from .a import b`, `import pkg.mod`, under the repository root or any directory that
 * holds the package), C and C++'s `#include "…"` and Java's `import a.b.C;`. Packages from a
 * registry, system headers and languages without one of these forms (Go, Rust, C#, Ruby, PHP)
 * resolve to nothing; for those the caller falls back to shared names. Pure.
 */
import path from "node:path";
import type { OutlineLanguage } from "./outline-languages.ts";

const jsExtensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const jsSpecifier =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bexport\s*\*\s*from\s*)["'](\.{1,2}\/[^"'\n]*)["']/g;
const pythonFrom = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^\n#)]*)/gm;
const pythonImport = /^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)/gm;
const include = /^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm;
const javaImport = /^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.]+)[ \t]*;/gm;

/** The tracked paths, indexed for suffix look-ups (`a/b.py` finds `src/a/b.py`). */
export class TrackedPaths {
  private readonly all: Set<string>;
  /** By the last one and the last two segments: a suffix look-up scans a handful. */
  private readonly bySuffix = new Map<string, string[]>();

  constructor(paths: Iterable<string>) {
    this.all = new Set(paths);
    for (const p of this.all) {
      const parts = p.split("/");
      for (const key of new Set([parts.slice(-1).join("/"), parts.slice(-2).join("/")])) {
        const list = this.bySuffix.get(key);
        if (list) list.push(p);
        else this.bySuffix.set(key, [p]);
      }
    }
  }

  has(p: string): boolean {
    return this.all.has(p);
  }

  /** Tracked paths that end with `suffix` at a directory boundary. */
  endingWith(suffix: string): string[] {
    const key = suffix.split("/").slice(-2).join("/");
    return (this.bySuffix.get(key) ?? []).filter((p) => p === suffix || p.endsWith(`/${suffix}`));
  }
}

/** The tracked files `file` imports (never itself). */
export function importsOf(
  file: string,
  text: string,
  language: OutlineLanguage,
  tracked: TrackedPaths,
): string[] {
  const found = new Set<string>();
  const dir = path.posix.dirname(file);
  const first = (candidates: string[]) => {
    for (const c of candidates) {
      if (c !== file && tracked.has(c)) {
        found.add(c);
        return;
      }
    }
  };
  switch (language) {
    case "typescript":
    case "tsx":
    case "javascript":
      for (const [, specifier] of text.matchAll(jsSpecifier)) {
        const base = path.posix.normalize(path.posix.join(dir, specifier!));
        const stem = base.replace(/\.(m|c)?jsx?$/, "");
        first([
          base,
          ...jsExtensions.map((ext) => stem + ext),
          ...jsExtensions.map((ext) => `${base}/index${ext}`),
        ]);
      }
      break;
    case "python":
      for (const [, dots, module, names] of text.matchAll(pythonFrom)) {
        if (dots) {
          // Relative: one dot is this package, each further dot one package up.
          let base = dir;
          for (let i = 1; i < dots.length; i++) base = path.posix.dirname(base);
          const stem = module ? path.posix.join(base, ...module.split(".")) : base;
          const clean = (p: string) => path.posix.normalize(p).replace(/^\.\//, "");
          first([clean(`${stem}.py`), clean(`${stem}/__init__.py`)]);
          // `from . import a, b`: modules of this package.
          for (const name of (names ?? "").split(",")) {
            const n = name.trim().split(/\s+/)[0];
            if (n && /^\w+$/.test(n)) first([clean(`${stem}/${n}.py`)]);
          }
        } else if (module) pythonModule(module, first, tracked);
      }
      for (const [, modules] of text.matchAll(pythonImport))
        for (const module of modules!.split(",")) pythonModule(module.trim(), first, tracked);
      break;
    case "c":
    case "cpp":
      for (const [, header] of text.matchAll(include)) {
        const relative = path.posix.normalize(path.posix.join(dir, header!));
        first([relative, ...tracked.endingWith(path.posix.normalize(header!))]);
      }
      break;
    case "java":
      for (const [, name] of text.matchAll(javaImport)) {
        if (name!.endsWith(".*")) continue;
        first(tracked.endingWith(`${name!.split(".").join("/")}.java`));
      }
      break;
    default:
      break;
  }
  return [...found];
}

function pythonModule(
  module: string,
  first: (candidates: string[]) => void,
  tracked: TrackedPaths,
): void {
  if (!/^[\w.]+$/.test(module)) return;
  const stem = module.split(".").join("/");
  first([...tracked.endingWith(`${stem}.py`), ...tracked.endingWith(`${stem}/__init__.py`)]);
}
