/**
 * Outlines made for the repository map, cached in the common git dir by a hash of the text
 * outlined (`<commonDir>/spe/cache/outlines.json`): the outline when it leaves something out,
 * the lines it left out, the names the file declares and uses, or why it was kept whole. A map
 * of an unchanged tree parses nothing. Written like the token cache: a temp file renamed into
 * place (the last writer wins; a lost update only costs a parse).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { loadOutliner, outlineLanguageOf, type Outliner, type OutlineResult } from "./outline.ts";
import { textId } from "./token-cache.ts";

/** Bump when outlines change shape (the grammars, the markers, the symbols). */
const formatVersion = 2;
/** Beyond this many entries, the ones the latest pack did not use are dropped on save. */
const maxEntries = 100_000;

interface Entry {
  /** The outline, when it differs from the text. */
  t?: string;
  /** Lines left out. */
  e?: number;
  d?: string[];
  r?: string[];
  /** Why it was kept whole. */
  f?: string;
}

export class OutlineCache {
  private dirty = false;
  private readonly used = new Set<string>();

  private constructor(
    private readonly file: string | undefined,
    private readonly entries: Record<string, Entry>,
  ) {}

  static empty(): OutlineCache {
    return new OutlineCache(undefined, {});
  }

  static async load(commonDir: string): Promise<OutlineCache> {
    const file = path.join(commonDir, "spe", "cache", "outlines.json");
    try {
      const parsed = JSON.parse(await fs.readFile(file, "utf8")) as {
        version?: number;
        entries?: Record<string, Entry>;
      };
      if (parsed.version === formatVersion && parsed.entries)
        return new OutlineCache(file, parsed.entries);
    } catch {
      // none yet, or unreadable: start over
    }
    return new OutlineCache(file, {});
  }

  has(id: string): boolean {
    return this.entries[id] !== undefined;
  }

  /** The cached outline of the text with this id (`text`: the text itself, for a whole file). */
  get(id: string, text: string): OutlineResult | undefined {
    const entry = this.entries[id];
    if (!entry) return undefined;
    this.used.add(id);
    if (entry.f !== undefined) return { text, fallback: entry.f };
    return {
      text: entry.t ?? text,
      elidedLines: entry.e ?? 0,
      symbols: { defs: entry.d ?? [], refs: entry.r ?? [] },
    };
  }

  set(id: string, text: string, result: OutlineResult): void {
    this.entries[id] =
      "fallback" in result
        ? { f: result.fallback }
        : {
            ...(result.text !== text ? { t: result.text } : {}),
            ...(result.elidedLines ? { e: result.elidedLines } : {}),
            ...(result.symbols?.defs.length ? { d: result.symbols.defs } : {}),
            ...(result.symbols?.refs.length ? { r: result.symbols.refs } : {}),
          };
    this.used.add(id);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const entries =
      Object.keys(this.entries).length > maxEntries
        ? Object.fromEntries(Object.entries(this.entries).filter(([id]) => this.used.has(id)))
        : this.entries;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(temp, JSON.stringify({ version: formatVersion, entries }));
    await fs.rename(temp, this.file);
    this.dirty = false;
  }
}

/** The cached outline of `text`, else `parse`'s (kept in the cache). */
function through(
  cache: OutlineCache,
  text: string,
  file: string,
  parse: () => OutlineResult | undefined,
): OutlineResult | undefined {
  if (!outlineLanguageOf(file)) return undefined;
  const key = textId(text);
  const known = cache.get(key, text);
  if (known) return known;
  const result = parse();
  if (result) cache.set(key, text, result);
  return result;
}

/**
 * `base` with this cache in front (`--compress`): a text outlined before is not parsed again.
 * Symbols are always made, so that the map can use the same entries.
 */
export function cachedOutliner(base: Outliner, cache: OutlineCache): Outliner {
  return {
    outline: (text, file) =>
      through(cache, text, file, () => base.outline(text, file, { symbols: true })),
  };
}

/** `--compress`'s outliner: the grammars for `paths`, this repository's cache in front. */
export async function compressOutliner(
  commonDir: string,
  useCache: boolean,
  paths: readonly string[],
): Promise<{ outliner: Outliner; cache: OutlineCache }> {
  const cache = useCache ? await OutlineCache.load(commonDir) : OutlineCache.empty();
  return { outliner: cachedOutliner(await loadOutliner(paths), cache), cache };
}

/**
 * Outlines with their symbols through this cache, for files among `paths` (the map, a step's
 * related files): the grammars are loaded on the first text the cache does not have.
 */
export function lazyCachedOutliner(cache: OutlineCache, paths: readonly string[]) {
  let base: Outliner | undefined;
  let parsed = 0;
  return {
    async outline(text: string, file: string): Promise<OutlineResult | undefined> {
      if (outlineLanguageOf(file) && !cache.has(textId(text))) base ??= await loadOutliner(paths);
      return through(cache, text, file, () => {
        parsed += 1;
        return base?.outline(text, file, { symbols: true });
      });
    },
    /** How many texts were parsed (not found in the cache). */
    parsed: () => parsed,
  };
}
