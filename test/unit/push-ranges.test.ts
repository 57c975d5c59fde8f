import { describe, expect, it } from "vitest";
import { isCreate, isDelete, isNotes, parsePushInput } from "../../src/hooks/push-ranges.ts";

const a = "a".repeat(40);
const b = "b".repeat(40);
const z = "0".repeat(40);

describe("pre-push input", () => {
  it("reads updates, creates, deletes, HEAD: refs and notes refs; empty input is nothing", () => {
    const updates = parsePushInput(
      `refs/heads/main ${a} refs/heads/main ${b}\nHEAD ${a} refs/heads/new ${z}\n(delete) ${z} refs/heads/old ${b}\nrefs/notes/spe ${a} refs/notes/spe ${z}\n`,
    );
    expect(updates.map((u) => [u.localRef, isCreate(u), isDelete(u), isNotes(u)])).toEqual([
      ["refs/heads/main", false, false, false],
      ["HEAD", true, false, false],
      ["(delete)", false, true, false],
      ["refs/notes/spe", true, false, true],
    ]);
    expect(parsePushInput("")).toEqual([]);
    expect(parsePushInput("\n")).toEqual([]);
  });
});
