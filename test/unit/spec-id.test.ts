import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import {
  makeSpecId,
  resolveSpecId,
  slugify,
  specIdProblem,
  validateSpecId,
} from "../../src/store/spec-id.ts";

// Local-time constructor: the id uses the calendar day the user sees, whatever the time zone.
const jan31 = new Date(2025, 0, 31, 23, 59);

function usageErrorOf(fn: () => unknown): SpeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SpeError);
    expect((error as SpeError).exitCode).toBe(2);
    return error as SpeError;
  }
  throw new Error("expected a usage error");
}

describe("spec ids", () => {
  it("accepts ordinary ids", () => {
    for (const id of ["20250131-add-login", "a", "0", "x.y_z-1", "a".repeat(80)]) {
      expect(validateSpecId(id)).toBe(id);
    }
  });

  it("refuses options, paths, control characters and names git or Windows reject", () => {
    const hostile = [
      "",
      "-rf",
      "--help",
      ".hidden",
      "_x",
      "../etc",
      "a/b",
      "a\\b",
      "a..b",
      "/abs",
      "Upper",
      "tab\there",
      "new\nline",
      "nul\0byte",
      "esc\u001b[31m",
      "a b",
      "ünïcode",
      "ends.",
      "branch.lock",
      "con",
      "nul.txt",
      "a".repeat(81),
    ];
    for (const id of hostile) {
      expect(specIdProblem(id), JSON.stringify(id)).toBeDefined();
      const error = usageErrorOf(() => validateSpecId(id));
      // The message quotes the input safely: no raw control characters reach a terminal.
      for (const raw of ["\0", "\n", "\t", "\u001b"]) expect(error.message).not.toContain(raw);
    }
  });

  it("makes YYYYMMDD-slug ids from titles", () => {
    expect(makeSpecId("Add a login form!", jan31, [])).toBe("20250131-add-a-login-form");
    expect(makeSpecId("  --Fix: crash in `parse()`  ", jan31, [])).toBe(
      "20250131-fix-crash-in-parse",
    );
    expect(makeSpecId("Crème brûlée für Straße Ærø", jan31, [])).toBe(
      "20250131-creme-brulee-fur-strasse-aero",
    );
    expect(makeSpecId("修复 登录", jan31, [])).toBe("20250131-spec");
    expect(makeSpecId("修复 login 错误", jan31, [])).toBe("20250131-login");
    expect(makeSpecId("", jan31, [])).toBe("20250131-spec");
    expect(makeSpecId("Ship it", new Date(2024, 1, 9), [])).toBe("20240209-ship-it");
  });

  it("keeps slugs within 50 characters, cut at a word boundary", () => {
    const slug = slugify(
      "Refactor the authentication middleware so that sessions expire correctly",
    );
    expect(slug.length).toBeLessThanOrEqual(50);
    expect(slug).toBe("refactor-the-authentication-middleware-so-that");
    expect(slugify("x".repeat(70))).toBe("x".repeat(50));
    for (const title of ["a-".repeat(40), "word ".repeat(30), "é".repeat(100)]) {
      const id = makeSpecId(title, jan31, []);
      expect(specIdProblem(id)).toBeUndefined();
      expect(id).not.toMatch(/-$/);
    }
  });

  it("appends -2, -3 … when the id is taken", () => {
    const taken = ["20250131-ship-it", "20250131-ship-it-2"];
    expect(makeSpecId("Ship it", jan31, taken)).toBe("20250131-ship-it-3");
    expect(makeSpecId("Ship it", jan31, new Set(["20250131-ship-it"]))).toBe("20250131-ship-it-2");
  });

  it("resolves an exact id or a unique prefix", () => {
    const ids = ["20250131-ship-it", "20250131-ship-it-2", "20250201-login"];
    expect(resolveSpecId("20250131-ship-it", ids)).toBe("20250131-ship-it");
    expect(resolveSpecId("20250131-ship-it-", ids)).toBe("20250131-ship-it-2");
    expect(resolveSpecId("202502", ids)).toBe("20250201-login");
  });

  it("says what to do when nothing or several specs match", () => {
    const ids = ["20250131-ship-it", "20250131-ship-it-2", "20250201-login"];
    const none = usageErrorOf(() => resolveSpecId("2024", ids));
    expect(none.message).toContain('"2024"');
    expect(none.message).toContain("git spe status lists them");
    expect(usageErrorOf(() => resolveSpecId("", ids)).message).toContain("git spe status");
    const several = usageErrorOf(() => resolveSpecId("20250131", ids));
    expect(several.message).toContain("20250131-ship-it, 20250131-ship-it-2");
  });
});
