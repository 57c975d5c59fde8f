/**
 * Outlines, cached in the common git dir by the git blob id of the text outlined
 * (`<commonDir>/spe/cache/outlines.json`): the outline when it leaves something out, the lines
 * it left out, the names the file declares and uses (when they were asked for), or why it was
 * kept whole. A `--compress` pack or a map of an unchanged tree parses nothing. Written like the
 * token cache: a temp file renamed into place (the last writer wins; a lost update only costs a
 * parse).
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { OutlineResult } from "./outline.ts";

/** Bump when outlines change shape (the grammars, the markers, the symbols, the keys). */
const formatVersion = 3;
/** Beyond this many entries, the ones the latest pack did not use are dropped on save. */
const maxEntries = 100_000;

interface Entry {
  /** The outline, when it differs from the text. */
  t?: string;
  /** Lines left out. */
  e?: number;
  d?: string[];
  r?: string[];
  /** 1: made without the names (`--compress`); the map parses such a text again. */
  n?: 1;
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

  /**
   * The cached outline of the text with this blob id (`text`: the text itself, for a file kept
   * whole or left as it is); undefined when not cached, or, with `symbols`, cached without them.
   */
  get(id: string, text: () => string, symbols = false): OutlineResult | undefined {
    const entry = this.entries[id];
    if (!entry || (symbols && entry.n)) return undefined;
    this.used.add(id);
    if (entry.f !== undefined) return { text: text(), fallback: entry.f };
    return {
      text: entry.t ?? text(),
      elidedLines: entry.e ?? 0,
      ...(entry.n ? {} : { symbols: { defs: entry.d ?? [], refs: entry.r ?? [] } }),
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
            ...(result.symbols ? {} : { n: 1 as const }),
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
