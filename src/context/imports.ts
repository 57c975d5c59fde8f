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
const pythonFrom = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)/gm;
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
          for (const n of importedNames(names)) first([clean(`${stem}/${n}.py`)]);
        } else if (module) {
          pythonModule(module, file, first, tracked);
          // `from pkg import mod`: a module of the package, when it is one.
          for (const n of importedNames(names))
            pythonModule(`${module}.${n}`, file, first, tracked);
        }
      }
      for (const [, modules] of text.matchAll(pythonImport))
        for (const module of modules!.split(",")) pythonModule(module.trim(), file, first, tracked);
      break;
    case "c":
    case "cpp":
      for (const [, header] of text.matchAll(include)) {
        const relative = path.posix.normalize(path.posix.join(dir, header!));
        first([relative, ...nearest(file, tracked.endingWith(path.posix.normalize(header!)))]);
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

/** `a, b as c` or `(\n a,\n b,\n)`: the names imported. */
function importedNames(names: string | undefined): string[] {
  return (names ?? "")
    .replace(/[()]/g, "")
    .split(",")
    .map((name) => name.trim().split(/\s+/)[0] ?? "")
    .filter((name) => /^\w+$/.test(name));
}

/** Directories a Python project's imports commonly start from, besides the root. */
const pythonRoots = new Set(["", "src", "lib", "python"]);

/**
 * An absolute Python module among the tracked files: under a source root (the repository's,
 * `src/`, `lib/`, `python/`), or under a directory that shares the importing file's first
 * segment (its package or project); the nearest first. A module elsewhere is more likely the
 * standard library's or an installed package's of the same name (`typing`, `logging`).
 */
function pythonModule(
  module: string,
  file: string,
  first: (candidates: string[]) => void,
  tracked: TrackedPaths,
): void {
  if (!/^[\w.]+$/.test(module)) return;
  const stem = module.split(".").join("/");
  const top = file.split("/")[0];
  const candidates = [stem + ".py", `${stem}/__init__.py`].flatMap((suffix) =>
    tracked.endingWith(suffix).filter((p) => {
      const root = p.slice(0, p.length - suffix.length).replace(/\/$/, "");
      return pythonRoots.has(root) || root.split("/")[0] === top;
    }),
  );
  first(nearest(file, candidates));
}

/** Candidates by how many leading directories they share with `file`, most first. */
function nearest(file: string, candidates: string[]): string[] {
  const dirs = file.split("/").slice(0, -1);
  const shared = (p: string) => {
    const parts = p.split("/");
    let n = 0;
    while (n < dirs.length && parts[n] === dirs[n]) n++;
    return n;
  };
  return [...candidates].sort((a, b) => shared(b) - shared(a) || a.length - b.length);
}
