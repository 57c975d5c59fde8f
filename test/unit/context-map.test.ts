/**
 * The repository map's ranking and levels (context/map.ts), pure: PageRank over "uses a name
 * declared in", personalised towards named files; named files whole first, then outlines by
 * rank while they fit, then paths.
 */
import { describe, expect, it } from "vitest";
import { planLevels, rankByReferences, type MapItem } from "../../src/context/map.ts";
import { selectionRank } from "../../src/context/types.ts";

const item = (
  path: string,
  defs: string[],
  refs: string[],
  extra: Partial<MapItem> = {},
): MapItem => ({
  path,
  rank: selectionRank.all,
  tokens: 1000,
  outlineTokens: 100,
  symbols: { defs, refs },
  overhead: 10,
  ...extra,
});

// app uses server's startServer; server uses core's parseConfig; lone is used by nobody.
const items = [
  item("src/app.ts", ["main"], ["startServer"], { rank: selectionRank.explicit }),
  item("src/server.ts", ["startServer"], ["parseConfig"]),
  item("src/core.ts", ["parseConfig"], []),
  item("src/lone.ts", ["loneHelper"], ["somethingElse"]),
  item("docs/notes.md", [], [], { outlineTokens: undefined, symbols: undefined, tokens: 50 }),
];

describe("the repository map", () => {
  it("ranks what the named file uses, and what that uses, above what nothing uses", () => {
    const rank = rankByReferences(items, (i) => (i.rank >= selectionRank.plan ? 1 : 0));
    const total = [...rank.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(rank.get("src/server.ts")!).toBeGreaterThan(rank.get("src/lone.ts")!);
    expect(rank.get("src/core.ts")!).toBeGreaterThan(rank.get("src/lone.ts")!);
    expect(rank.get("src/server.ts")!).toBeGreaterThan(rank.get("docs/notes.md")!);
  });

  it("gives the named file whole, then outlines by rank, then paths, within the budget", () => {
    // Frame 100; app whole 1010; two outlines (110 each) fit in 1350, a third does not.
    const plan = planLevels(items, 1350, 100);
    expect(plan.order).toEqual([
      { path: "src/app.ts", level: "whole" },
      { path: "src/server.ts", level: "outline" },
      { path: "src/core.ts", level: "outline" },
      // Neither is used by anything: equal rank, by path.
      { path: "docs/notes.md", level: "path" },
      { path: "src/lone.ts", level: "path" },
    ]);
    // Room for everything but whole files: each at its best level that fits, in rank order.
    const roomy = planLevels(items, 1600, 100);
    expect(roomy.order.map((o) => o.level)).toEqual([
      "whole",
      "outline",
      "outline",
      "whole",
      "outline",
    ]);
    // More room: the best-ranked outline becomes whole again, while it fits.
    expect(planLevels(items, 3000, 100).order.map((o) => o.level)).toEqual([
      "whole",
      "whole",
      "outline",
      "whole",
      "outline",
    ]);
    // Not even the named file fits whole: its outline does.
    expect(planLevels(items, 300, 100).order[0]).toEqual({ path: "src/app.ts", level: "outline" });
  });

  it("without a named or grep-matched file, ranks by references alone (uniform start)", () => {
    const plain = items.map((i) => ({ ...i, rank: selectionRank.all }));
    const rank = rankByReferences(plain, () => 0);
    expect(rank.get("src/core.ts")!).toBeGreaterThan(rank.get("src/app.ts")!);
  });
});
