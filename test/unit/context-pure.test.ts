import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { parseStdinPaths } from "../../src/commands/context.ts";
import { fitBudget, type BudgetItem } from "../../src/context/budget.ts";
import { createProgress } from "../../src/context/progress.ts";
import { escapeAttribute } from "../../src/context/render.ts";
import { countTokensGuarded, longRuns, maxRun } from "../../src/context/tokens.ts";
import { displayPath, renderTree } from "../../src/context/tree.ts";

const item = (path: string, tokens: number, rank: number): BudgetItem => ({
  path,
  tokens,
  rank,
  overhead: 0,
});

describe("fitBudget", () => {
  it("keeps higher ranks first, smaller first within a rank, and never goes over", () => {
    const items = [
      item("all-big", 50, 1),
      item("all-small", 10, 1),
      item("explicit", 60, 5),
      item("grep", 20, 2),
      item("diff", 30, 4),
    ];
    const fit = fitBudget(items, 125, 5);
    expect(fit.kept.map((i) => i.path)).toEqual(["explicit", "diff", "grep", "all-small"]);
    expect(fit.dropped.map((i) => i.path)).toEqual(["all-big"]);
    expect(fit.estimate).toBe(125);
  });

  it("stays under the budget for any input (randomized)", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 40) }, (_, i) => ({
        path: `f${i}`,
        tokens: Math.floor(random() * 500),
        rank: 1 + Math.floor(random() * 5),
        overhead: Math.floor(random() * 20),
      }));
      const budget = Math.floor(random() * 5000);
      const fit = fitBudget(items, budget, 10);
      const used = 10 + fit.kept.reduce((s, i) => s + i.tokens + i.overhead, 0);
      expect(used).toBeLessThanOrEqual(Math.max(budget, 10));
      expect(fit.kept.length + fit.dropped.length).toBe(items.length);
      // Nothing dropped would still have fitted.
      const room = budget - used;
      expect(fit.dropped.every((i) => i.tokens + i.overhead > room)).toBe(true);
    }
  });
});

describe("countTokensGuarded", () => {
  it("equals the exact count when no run is long", () => {
    const text = "function add(a, b) {\n  return a + b; // sum\n}\n".repeat(200);
    expect(countTokensGuarded(text, countTokens)).toBe(countTokens(text));
  });

  it("counts pathological runs in slices, over-counting by at most one token per slice", () => {
    for (const text of [
      "a".repeat(20 * maxRun),
      "\n".repeat(20 * maxRun),
      `start ${" ".repeat(5 * maxRun)} end`,
    ]) {
      const guarded = countTokensGuarded(text, countTokens);
      const exact = countTokens(text);
      expect(guarded).toBeGreaterThanOrEqual(exact);
      expect(guarded - exact).toBeLessThanOrEqual(Math.ceil(text.length / maxRun) + 1);
    }
  });

  it("never hands the tokenizer a run longer than maxRun", () => {
    const seen: number[] = [];
    countTokensGuarded(`x ${"-".repeat(10 * maxRun)} y ${"z".repeat(3 * maxRun)}`, (t) => {
      seen.push(Math.max(...(t.match(/\S+|\s+/g) ?? [""]).map((r) => r.length)));
      return 1;
    });
    expect(Math.max(...seen)).toBeLessThanOrEqual(maxRun);
  });
});

describe("tree and escaping", () => {
  it("renders directories first, then files, sorted", () => {
    expect(renderTree(["b.txt", "src/z.ts", "src/a/b.ts", "a.txt"])).toBe(
      "src/\n  a/\n    b.ts\n  z.ts\na.txt\nb.txt",
    );
  });

  it("shows control characters in names as escapes", () => {
    expect(displayPath("new\nline\there\u0001")).toBe("new\\nline\\there\\x01");
  });

  it("escapes attribute values", () => {
    expect(escapeAttribute('a"b&c<d>\ne')).toBe("a&quot;b&amp;c&lt;d&gt;&#10;e");
  });
});

describe("parseStdinPaths", () => {
  it("splits on NUL when present, else on lines", () => {
    expect(parseStdinPaths("a b\0c\nd\0")).toEqual(["a b", "c\nd"]);
    expect(parseStdinPaths("a\r\nb\n\nc")).toEqual(["a", "b", "c"]);
  });
});

describe("progress", () => {
  it("stays silent for the first second, then updates at most twice a second, then clears", () => {
    const shown: (string | undefined)[] = [];
    let now = 0;
    const progress = createProgress({ progress: (t) => shown.push(t) }, 0, () => now);
    progress.update("early");
    now = 1100;
    progress.update("one");
    now = 1300;
    progress.update("too soon");
    now = 1700;
    progress.update("two");
    progress.done();
    expect(shown).toEqual([
      "git spe context: one (1.1 s)",
      "git spe context: two (1.7 s)",
      undefined,
    ]);
  });
});

describe("longRuns", () => {
  it("finds exactly the runs the o200k \\s / \\S split would, at the threshold", () => {
    const text = `a ${"x".repeat(maxRun - 1)} ${"y".repeat(maxRun)}\n${" ".repeat(maxRun + 5)}z`;
    const start = 2 + maxRun - 1 + 1;
    expect(longRuns(text)).toEqual([
      [start, start + maxRun],
      [start + maxRun, start + maxRun + 1 + maxRun + 5],
    ]);
    expect(longRuns("")).toEqual([]);
    expect(longRuns("\u3000".repeat(maxRun))).toEqual([[0, maxRun]]);
  });

  it("agrees with a character-by-character scan on random texts (fuzz)", () => {
    const linear = (text: string) => {
      const runs: [number, number][] = [];
      const split = text.match(/\s+|\S+/g) ?? [];
      let at = 0;
      for (const run of split) {
        if (run.length >= maxRun) runs.push([at, at + run.length]);
        at += run.length;
      }
      return runs;
    };
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let found = 0;
    for (let trial = 0; trial < 300; trial++) {
      let text = "";
      while (text.length < 6000) {
        const long = random() < 0.3;
        const length = long ? maxRun - 3 + Math.floor(random() * 8) : Math.floor(random() * 40);
        text += (random() < 0.5 ? " \n\t\u3000" : "ab{}é")[Math.floor(random() * 4)]!.repeat(
          length,
        );
      }
      const expected = linear(text);
      found += expected.length;
      expect(longRuns(text)).toEqual(expected);
    }
    expect(found).toBeGreaterThan(100);
  });
});
