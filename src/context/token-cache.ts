/**
 * The context cache in the common git dir (shared by every worktree of the repository):
 * o200k token counts keyed by the blob id of the counted text, and secret-scan verdicts keyed
 * by the blob id of the file. A second pack of an unchanged tree tokenizes and scans nothing.
 * Writes go to a temp file and are renamed into place, so concurrent packs never see a torn
 * file (the last writer wins; a lost update only costs a recount).
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { vocabularySource } from "./o200k.ts";
import type { SecretFinding } from "./types.ts";

const formatVersion = 1;

/** Cache key of a text that is not a file (a document frame): a hash of the text itself. */
export function textId(text: string): string {
  return createHash("sha1").update(`text ${text.length}\0`).update(text).digest("hex");
}
const tokenizerVersion = vocabularySource();
/** Beyond this many entries, entries not used by the latest pack are dropped on save. */
const maxEntries = 200_000;

interface CacheFile {
  version: number;
  tokenizer: string;
  scanner: string;
  tokens: Record<string, number>;
  secrets: Record<string, SecretFinding[]>;
}

export class ContextCache {
  private dirty = false;
  private readonly usedTokens = new Set<string>();
  private readonly usedSecrets = new Set<string>();

  private constructor(
    private readonly file: string | undefined,
    private readonly data: CacheFile,
  ) {}

  static empty(scanner: string): ContextCache {
    return new ContextCache(undefined, {
      version: formatVersion,
      tokenizer: tokenizerVersion,
      scanner,
      tokens: {},
      secrets: {},
    });
  }

  /** Loads `<commonDir>/spe/cache/context.json`; a missing, corrupt or outdated file starts empty. */
  static async load(commonDir: string, scanner: string): Promise<ContextCache> {
    const file = path.join(commonDir, "spe", "cache", "context.json");
    let data: CacheFile = {
      version: formatVersion,
      tokenizer: tokenizerVersion,
      scanner,
      tokens: {},
      secrets: {},
    };
    try {
      const parsed = JSON.parse(await fs.readFile(file, "utf8")) as Partial<CacheFile>;
      if (parsed.version === formatVersion) {
        data = {
          ...data,
          tokens: parsed.tokenizer === tokenizerVersion ? (parsed.tokens ?? {}) : {},
          secrets: parsed.scanner === scanner ? (parsed.secrets ?? {}) : {},
        };
      }
    } catch {
      // no cache yet, or unreadable: start over
    }
    return new ContextCache(file, data);
  }

  getTokens(id: string): number | undefined {
    const value = this.data.tokens[id];
    if (value !== undefined) this.usedTokens.add(id);
    return value;
  }

  setTokens(id: string, tokens: number): void {
    this.data.tokens[id] = tokens;
    this.usedTokens.add(id);
    this.dirty = true;
  }

  getSecrets(id: string): SecretFinding[] | undefined {
    const value = this.data.secrets[id];
    if (value !== undefined) this.usedSecrets.add(id);
    return value;
  }

  setSecrets(id: string, findings: SecretFinding[]): void {
    this.data.secrets[id] = findings;
    this.usedSecrets.add(id);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const prune = <T>(map: Record<string, T>, used: Set<string>) =>
      Object.keys(map).length > maxEntries
        ? Object.fromEntries(Object.entries(map).filter(([id]) => used.has(id)))
        : map;
    const data: CacheFile = {
      ...this.data,
      tokens: prune(this.data.tokens, this.usedTokens),
      secrets: prune(this.data.secrets, this.usedSecrets),
    };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(temp, JSON.stringify(data));
    await fs.rename(temp, this.file);
    this.dirty = false;
  }
}
