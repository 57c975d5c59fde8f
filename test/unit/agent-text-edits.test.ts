import { describe, expect, it } from "vitest";
import {
  findOccurrences,
  insertAfterLine,
  lineAt,
  numberLines,
  replaceUnique,
  splitLines,
} from "../../src/agent/text-edits.ts";

describe("findOccurrences", () => {
  it("counts overlapping occurrences, so 'exactly once' means once", () => {
    expect(findOccurrences("aaa", "aa")).toEqual([0, 1]);
    expect(findOccurrences("abc", "d")).toEqual([]);
    expect(findOccurrences("abc", "")).toEqual([]);
  });
});

describe("replaceUnique", () => {
  it("replaces the one occurrence, keeping $ patterns in new_str literal", () => {
    expect(replaceUnique("a\nfoo\nb\n", "foo", "$& $1 $$")).toEqual({
      content: "a\n$& $1 $$\nb\n",
      firstLine: 2,
      lastLine: 2,
    });
  });
  it("deletes with an empty new_str and reports the lines of a multi-line replacement", () => {
    expect(replaceUnique("a\nfoo\nb\n", "foo\n", "")).toMatchObject({ content: "a\nb\n" });
    expect(replaceUnique("x\ny\n", "y", "1\n2\n3")).toMatchObject({ firstLine: 2, lastLine: 4 });
  });
  it("refuses no match, several matches (naming their lines) and an empty old_str", () => {
    expect(() => replaceUnique("abc", "d", "x")).toThrow(/^No match found for replacement/);
    expect(() => replaceUnique("x\ny x\n", "x", "z")).toThrow(
      "Found 2 matches for replacement text (starting on lines 1, 2). Please provide more context to make a unique match.",
    );
    expect(() => replaceUnique("aaa", "aa", "b")).toThrow(/Found 2 matches/);
    expect(() => replaceUnique("abc", "", "x")).toThrow(/old_str is empty/);
  });
});

describe("insertAfterLine", () => {
  it("inserts whole lines at the top, in the middle and at the end", () => {
    expect(insertAfterLine("a\nb\n", 0, "x").content).toBe("x\na\nb\n");
    expect(insertAfterLine("a\nb\n", 1, "x\ny\n")).toEqual({
      content: "a\nx\ny\nb\n",
      firstLine: 2,
      lastLine: 3,
    });
    expect(insertAfterLine("a\nb\n", 2, "x").content).toBe("a\nb\nx\n");
  });
  it("ends an unterminated last line before appending, and inserts into an empty file", () => {
    expect(insertAfterLine("a\nb", 2, "x").content).toBe("a\nb\nx\n");
    expect(insertAfterLine("a\nb", 1, "x").content).toBe("a\nx\nb");
    expect(insertAfterLine("", 0, "x").content).toBe("x\n");
  });
  it("keeps a CRLF file CRLF", () => {
    expect(insertAfterLine("a\r\nb\r\n", 1, "x\ny").content).toBe("a\r\nx\r\ny\r\nb\r\n");
  });
  it("refuses lines outside the file", () => {
    expect(() => insertAfterLine("a\n", 2, "x")).toThrow(
      "insert_line 2 is out of range: the file has 1 lines (0 inserts at the top, 1 appends at the end)",
    );
    expect(() => insertAfterLine("a\n", -1, "x")).toThrow(/out of range/);
  });
});

describe("lines", () => {
  it("splits without a phantom last line and strips CR", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a\n")).toEqual(["a"]);
    expect(splitLines("a\r\nb")).toEqual(["a", "b"]);
    expect(splitLines("\n\n")).toEqual(["", ""]);
  });
  it("numbers lines as the docs show them and finds the line of an offset", () => {
    expect(numberLines(["x", "y"], 9)).toEqual(["9: x", "10: y"]);
    expect(lineAt("a\nb\nc", 0)).toBe(1);
    expect(lineAt("a\nb\nc", 2)).toBe(2);
    expect(lineAt("a\nb\nc", 4)).toBe(3);
  });
});
