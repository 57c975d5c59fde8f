import { expect, it } from "vitest";
import { chooseNote } from "../../src/store/notes-merge.ts";

it("chooses each object's note three-way, never dropping a changed note", () => {
  // [ours, theirs, base] → choice
  const cases: [string | undefined, string | undefined, string | undefined, unknown][] = [
    ["x", "x", "x", "x"], // unchanged
    ["x", "x", undefined, "x"], // added the same on both sides
    ["new", "old", "old", "new"], // changed here only
    ["old", "new", "old", "new"], // changed there only
    [undefined, "x", undefined, "x"], // added there
    ["x", undefined, undefined, "x"], // added here
    [undefined, "old", "old", undefined], // removed here, unchanged there: stays removed
    ["old", undefined, "old", undefined], // removed there, unchanged here: stays removed
    [undefined, "new", "old", "new"], // removed here, changed there: the change survives
    ["new", undefined, "old", "new"], // changed here, removed there: the change survives
    ["a", "b", "old", "merge"], // changed on both sides
    ["a", "b", undefined, "merge"], // added on both sides, differently
  ];
  for (const [ours, theirs, base, expected] of cases) {
    expect(chooseNote(ours, theirs, base), JSON.stringify([ours, theirs, base])).toBe(expected);
  }
});
