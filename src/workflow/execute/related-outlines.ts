/**
 * A step's context beyond its own files (issue 18): the outlines of the files its files import
 * and of the files that import them (import statements resolved against the tracked paths,
 * context/imports.ts), then of the files that share rarer names with them — declaring names its
 * files use or using names they declare, a name counting only when at most three files declare
 * it, for languages whose imports are not resolved (Go, Rust, …) — within a bound. Outlines come
 * from the same cache as the repository map's (`.git/spe/cache/outlines.json`), so after the
 * first step only changed files are parsed. The same rules that keep a file out of packed
 * context keep it out here: ignore rules, size, binary, symlinks, the secret scan.
 */
import type { Git } from "../../git/exec.ts";
import { splitNul } from "../../git/parse-z.ts";
import { importsOf, TrackedPaths } from "../../context/imports.ts";
import { OutlineCache } from "../../context/outline-cache.ts";
import { outlinesWithSymbols, type TextToOutline } from "../../context/outline-many.ts";
import { outlineLanguageOf } from "../../context/outline.ts";
import { createFileReader } from "../../context/read.ts";
import { fence } from "../../context/render.ts";
import { scanSecrets } from "../../context/secrets.ts";
import type { PlanStep } from "../../plan/schema.ts";
import type { StepFileFilter } from "./step-prompt.ts";

/** At most this many related files, and this many characters of their outlines. */
const maxRelated = 12;
const maxChars = 40_000;
/** Repositories with more source files than this get no related outlines (the first parse). */
const maxSourceFiles = 20_000;

interface SourceFile {
  path: string;
  text: string;
  /** Undefined: it does not parse, so it is not shown. */
  outline: string | undefined;
  defs: Set<string>;
  refs: Set<string>;
  imports: string[];
}

const decoder = new TextDecoder();

/** A name links two files only when at most this many files declare it. */
const maxDeclaring = 3;

export async function relatedOutlines(options: {
  worktree: string;
  commonDir: string;
  git: Git;
  step: PlanStep;
  filter: StepFileFilter;
  signal?: AbortSignal;
}): Promise<string> {
  const { worktree, step, filter } = options;
  const { stdout } = await options.git.run(["ls-files", "-z", "--cached", "--full-name"]);
  const paths = splitNul(stdout).filter(
    (file) => outlineLanguageOf(file) !== undefined && !filter.isIgnored(file),
  );
  const own = new Set(step.files.map((f) => f.path));
  if (paths.length > maxSourceFiles || !paths.some((p) => own.has(p))) return "";
  // Read as packs read (context/read.ts): no symlink followed, not even a directory the step
  // replaced with one; size limit; binary files left out.
  const reader = createFileReader(worktree, filter.maxFileBytes);
  const read: TextToOutline[] = [];
  for (let i = 0; i < paths.length; i++) {
    if (i % 500 === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    const file = reader.read({ path: paths[i] as string, rank: 0, selectedBy: [] });
    if ("buffer" in file)
      read.push({
        path: file.candidate.path,
        text: decoder.decode(file.buffer),
        blobId: file.blobId,
      });
  }
  // Parsed on the analysis pool's threads, the first time (a large tree's first step).
  const cache = await OutlineCache.load(options.commonDir);
  const { outlines } = await outlinesWithSymbols(cache, read, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const tracked = new TrackedPaths(paths);
  const files: SourceFile[] = [];
  read.forEach(({ path: file, text }, i) => {
    const result = outlines[i];
    if (!result) return;
    // A file that does not parse (a step's file half edited) still imports what it imports; it
    // is never shown as an outline.
    const outlined = "fallback" in result ? undefined : result;
    files.push({
      path: file,
      text,
      outline: outlined?.text,
      defs: new Set(outlined?.symbols?.defs ?? []),
      refs: new Set(outlined?.symbols?.refs ?? []),
      imports: importsOf(file, text, outlineLanguageOf(file)!, tracked),
    });
  });
  await cache.save();
  const mine = files.filter((f) => own.has(f.path));
  const imported = new Set(mine.flatMap((f) => f.imports));
  const declaring = new Map<string, number>();
  for (const f of files)
    for (const def of f.defs) declaring.set(def, (declaring.get(def) ?? 0) + 1);
  const rare = (name: string) => (declaring.get(name) ?? 0) <= maxDeclaring;
  const uses = new Set(mine.flatMap((f) => [...f.refs].filter(rare)));
  const declares = new Set(mine.flatMap((f) => [...f.defs].filter(rare)));
  const scored = files
    .filter((f) => !own.has(f.path))
    .map((f) => {
      // An import either way outranks any number of shared names.
      let score = imported.has(f.path) || f.imports.some((p) => own.has(p)) ? 1000 : 0;
      for (const def of f.defs) if (uses.has(def)) score += 1;
      for (const ref of f.refs) if (declares.has(ref)) score += 1;
      return { file: f, score };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || (a.file.path < b.file.path ? -1 : 1));
  const parts: string[] = [];
  let chars = 0;
  for (const { file } of scored) {
    const outline = file.outline;
    if (outline === undefined) continue;
    if (parts.length >= maxRelated || chars + outline.length > maxChars) continue;
    // Nothing the secret scan flags, as for every file a model is shown.
    const found = await scanSecrets([{ key: file.path, text: file.text }]);
    if ((found.get(file.path) ?? []).length > 0) {
      filter.onWithheld?.(file.path, "it may hold a secret");
      continue;
    }
    const marker = fence(outline);
    parts.push(`## ${file.path} (outline)\n${marker}\n${outline.trimEnd()}\n${marker}`);
    chars += outline.length;
  }
  if (parts.length === 0) return "";
  return [
    "# Outlines of related files",
    "",
    "Files the step's files use or are used by, as outlines (function and method bodies left out; view a file for its whole text). They are context, not part of the step.",
    "",
    parts.join("\n\n"),
  ].join("\n");
}
