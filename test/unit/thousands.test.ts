import { describe, expect, it } from "vitest";
import { thousands } from "../../src/util/thousands.ts";

describe("thousands", () => {
  it("groups digits as toLocaleString('en-US') does, for integers of every length and sign", () => {
    const samples = [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 13_146_531, 2 ** 53 - 1];
    for (const n of [...samples, ...samples.filter((x) => x !== 0).map((x) => -x)])
      expect(thousands(n)).toBe(n.toLocaleString("en-US"));
  });
});
