import { describe, expect, it } from "vitest";
import { parseLsFilesStageZ, parseNameStatusZ, splitNul } from "../../src/git/parse-z.ts";

const odd = ["with space.txt", "ünïcödé/файл.md", "new\nline.txt", "-leading-dash", "tab\there"];

describe("-z parsers", () => {
  it("splitNul keeps every byte of a path and drops only the final terminator", () => {
    expect(splitNul(odd.join("\0") + "\0")).toEqual(odd);
    expect(splitNul("")).toEqual([]);
  });

  it("parses name-status records including renames with their old path", () => {
    const output = ["M", odd[0], "R087", odd[1], odd[2], "D", odd[3], "A", odd[4], ""].join("\0");
    expect(parseNameStatusZ(output)).toEqual([
      { status: "M", path: odd[0] },
      { status: "R", path: odd[2], oldPath: odd[1], score: 87 },
      { status: "D", path: odd[3] },
      { status: "A", path: odd[4] },
    ]);
  });

  it("refuses a truncated rename record instead of misaligning the rest", () => {
    expect(() => parseNameStatusZ("R100\0only-old\0")).toThrow(/truncated/);
  });

  it("parses ls-files --stage records", () => {
    const oid = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
    expect(
      parseLsFilesStageZ(`100644 ${oid} 0\t${odd[2]}\x00120000 ${oid} 2\t${odd[3]}\0`),
    ).toEqual([
      { mode: "100644", oid, stage: 0, path: odd[2] },
      { mode: "120000", oid, stage: 2, path: odd[3] },
    ]);
    expect(parseLsFilesStageZ(`100644 ${oid} 0\ta\tb c \0`)).toEqual([
      { mode: "100644", oid, stage: 0, path: "a\tb c " },
    ]);
    expect(() => parseLsFilesStageZ(`100644 ${oid} 0 no-tab\0`)).toThrow(/malformed/);
  });
});
