import fs from "node:fs";
import path from "node:path";
import ranks from "gpt-tokenizer/bpeRanks/o200k_base";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import {
  buildVocabulary,
  createCounter,
  parseVocabulary,
  serializeVocabulary,
  vocabularySource,
} from "../../src/context/o200k.ts";

const reference = (text: string) => countTokens(text, { disallowedSpecial: new Set() });
const vocab = buildVocabulary(ranks);
const count = createCounter(vocab);

/** Every string in `texts` counted by both; returns the ones that differ, with both counts. */
function mismatches(texts: string[]): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (const text of texts) {
    const ours = count(text);
    const theirs = reference(text);
    if (ours !== theirs) out.push([text, ours, theirs]);
  }
  return out;
}

describe("the o200k counter", () => {
  it("equals gpt-tokenizer on each branch of the pre-tokenizer pattern", () => {
    const texts = [
      "",
      "a",
      "HTMLParser fooBar FOO foo_bar x1y2 __init__",
      "don't I'LL we've they're it's I'd I'm 'S 'll 'x '",
      "12345678 3.14159 0x1F 1e10 v2",
      "  indented\n\tTabbed\n\n\n  \n    trailing   \n",
      "a  b   c    d",
      "\r\n\r\nwindows\r\nlines\r\n",
      "x\u000bvertical\u000cfeed",
      "((foo)) [bar] {baz} ;; // /* */ #! <|endoftext|> <|fim_prefix|>",
      "path/to/file.ts:12:3 https://example.com/a/b?c=d&e=f",
      "trailing spaces   ",
      "   ",
      "\n",
      " !",
      "!\n\n//\n/",
      "\u0000\u0001\u001b[0m\u007f",
      "café naïve résumé Ünïcödé",
      "e\u0301 a\u0308b \u0301\u0301 x\u0301y",
      "日本語のテキスト 中文 한국어",
      "Привет мир ΑΒΓ αβγ",
      "emoji 😀👍🏽 🇩🇪 a😀b",
      "digits ²³ ١٢٣ ⅷ 12³",
      "nbsp\u00a0here\u3000ideographic\u2028line\u2029para",
      "\ufeffBOM at start \ufeffinside",
      "\ufeff\ufeff\ufeff",
      "\ufeffimport x from 'y';",
      "replacement \ufffd\ufffd char",
      "mixed ASCII→arrow and ‘quotes’ “double” — dash…",
      "x" + "é".repeat(40) + "y",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=AKIAIOSFODNN7EXAMPLE",
    ];
    expect(mismatches(texts)).toEqual([]);
  });

  it("equals gpt-tokenizer on random strings mixing ASCII classes and Unicode (fuzz)", () => {
    const alphabet = [
      ..."aAzZmM09 \t\n\r\u000b'sStTlLvVeErRdD.,;:/\\(){}[]<>!?-_=+*&^%$#@~`\"|",
      "é",
      "É",
      "\u0301",
      "ß",
      "ǅ",
      "ʰ",
      "中",
      "²",
      "٣",
      "\u00a0",
      "\u3000",
      "\u2028",
      "\ufeff",
      "😀",
      "→",
      "—",
      "\ufffd",
    ];
    let seed = 20261121;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const texts: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const length = Math.floor(random() * 40);
      let text = "";
      for (let k = 0; k < length; k++) text += alphabet[Math.floor(random() * alphabet.length)];
      texts.push(text);
    }
    const wrong = mismatches(texts);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("equals gpt-tokenizer over real source files of many languages", () => {
    // Installed packages: TypeScript, JavaScript, JSON, Markdown, licences, d.ts, with some
    // non-ASCII text; read-only, outside the project's own sources.
    const roots = ["typescript/lib", "zod", "gpt-tokenizer/src", "yaml/dist", "@google/genai"];
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.isFile() && fs.statSync(file).size < 64 * 1024) files.push(file);
      }
    };
    for (const root of roots) {
      const dir = path.resolve("node_modules", root);
      if (fs.existsSync(dir)) walk(dir);
    }
    const texts = files.slice(0, 600).map((file) => fs.readFileSync(file, "utf8"));
    expect(texts.length).toBeGreaterThan(200);
    expect(texts.some((text) => [...text].some((ch) => ch.charCodeAt(0) > 127))).toBe(true);
    const wrong = mismatches(texts).map(([text, ours, theirs]) => [
      text.slice(0, 80),
      ours,
      theirs,
    ]);
    expect(wrong).toEqual([]);
  });

  it("round-trips the vocabulary file, and refuses one built from another source", () => {
    const file = serializeVocabulary(vocab, vocabularySource());
    const parsed = parseVocabulary(file, vocabularySource());
    expect(parsed).toBeDefined();
    const again = createCounter(parsed as NonNullable<typeof parsed>);
    const text = "A file's text: naïve 😀 HTMLParser don't 12345\n\n";
    expect(again(text)).toBe(reference(text));
    expect(parseVocabulary(file, "o200k-count/0 gpt-tokenizer@0.0.0")).toBeUndefined();
    expect(parseVocabulary(file.subarray(0, 40), vocabularySource())).toBeUndefined();
  });

  it("is the table the build wrote to dist/o200k.bin", () => {
    const built = path.resolve("dist", "o200k.bin");
    // npm test builds first; the file is part of the package.
    expect(fs.existsSync(built)).toBe(true);
    const parsed = parseVocabulary(fs.readFileSync(built), vocabularySource());
    expect(parsed).toBeDefined();
    expect(
      Buffer.compare(
        serializeVocabulary(parsed!, vocabularySource()),
        serializeVocabulary(vocab, vocabularySource()),
      ),
    ).toBe(0);
  });
});
