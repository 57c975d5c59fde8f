import { describe, expect, it } from "vitest";
import { compareVersions, minimumGitVersion, parseGitVersion } from "../../src/git/version.ts";

describe("git version", () => {
  it.each([
    ["git version 2.39.5", [2, 39, 5]],
    ["git version 2.39.3 (Apple Git-145)", [2, 39, 3]],
    ["git version 2.45.1.windows.1", [2, 45, 1]],
    ["git version 2.40", [2, 40, 0]],
  ])("parses %s", (output, expected) => {
    expect(parseGitVersion(output)).toEqual(expected);
  });

  it("orders versions against the minimum", () => {
    expect(compareVersions([2, 37, 9], minimumGitVersion)).toBeLessThan(0);
    expect(compareVersions([2, 38, 0], minimumGitVersion)).toBe(0);
    expect(compareVersions([3, 0, 0], minimumGitVersion)).toBeGreaterThan(0);
  });

  it("returns undefined for output without a version", () => {
    expect(parseGitVersion("not git")).toBeUndefined();
  });
});
