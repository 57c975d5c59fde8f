import { describe, expect, it } from "vitest";
import {
  mergeNotes,
  parseNote,
  serializeNote,
  type ParsedNote,
} from "../../src/store/notes-document.ts";

const state = (id: string, updatedAt: string) =>
  JSON.stringify({
    spe: "state/v1",
    id,
    title: id,
    phase: "spec",
    status: "specified",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt,
  });

const note = (specs: Record<string, Record<string, string>>, extra: object = {}): ParsedNote =>
  parseNote(JSON.stringify({ spe: "notes/v1", specs, ...extra }) + "\n");

describe("the notes document", () => {
  it("round-trips specs and keeps record maps it does not know", () => {
    const text =
      JSON.stringify({
        spe: "notes/v1",
        specs: { a: { "state.json": state("a", "2025-01-01T00:00:00Z"), "AI-SPEC.md": "# A\n" } },
        runs: { r1: { ok: true } },
      }) + "\n";
    const parsed = parseNote(text);
    expect(parsed.document.specs.a?.["AI-SPEC.md"]).toBe("# A\n");
    expect(parsed.document.records).toEqual({ runs: { r1: { ok: true } } });
    expect(serializeNote(parsed)).toBe(text);
  });

  it("reads notes git concatenated while rewriting, and keeps foreign lines", () => {
    const a = note({ a: { "state.json": state("a", "2025-01-01T00:00:00Z") } });
    const b = note({ b: { "state.json": state("b", "2025-01-02T00:00:00Z") } });
    const concatenated = `${serializeNote(a)}\n${serializeNote(b)}a plain-text note\n`;
    const parsed = parseNote(concatenated);
    expect(Object.keys(parsed.document.specs).sort()).toEqual(["a", "b"]);
    expect(parsed.foreign).toEqual(["a plain-text note"]);
    expect(serializeNote(parsed).split("\n").slice(1)).toEqual(["a plain-text note", ""]);
  });

  it("ignores spec entries whose id is not a valid spec id", () => {
    const parsed = note({ "../x": { "state.json": "{}" }, ok: { "AI-SPEC.md": "x" } });
    expect(Object.keys(parsed.document.specs)).toEqual(["ok"]);
    expect(parseNote('{"spe":"notes/v9","specs":{}}\n').foreign).toHaveLength(1);
  });

  it("merges: union of specs, newer updatedAt wins, record maps unioned", () => {
    const local = note(
      {
        both: { "state.json": state("both", "2025-01-05T00:00:00Z"), "AI-SPEC.md": "local" },
        mine: { "state.json": state("mine", "2025-01-01T00:00:00Z") },
      },
      { runs: { r1: "local", r2: "local" } },
    );
    const remote = note(
      {
        both: { "state.json": state("both", "2025-01-06T00:00:00Z"), "AI-SPEC.md": "remote" },
        theirs: { "state.json": state("theirs", "2025-01-01T00:00:00Z") },
      },
      { runs: { r2: "remote", r3: "remote" }, other: [1] },
    );
    const merged = mergeNotes(local, remote).document;
    expect(Object.keys(merged.specs).sort()).toEqual(["both", "mine", "theirs"]);
    expect(merged.specs.both?.["AI-SPEC.md"]).toBe("remote");
    expect(merged.records).toEqual({
      runs: { r1: "local", r2: "local", r3: "remote" },
      other: [1],
    });
    // Symmetric where it matters: the newer copy wins from either side.
    expect(mergeNotes(remote, local).document.specs.both?.["AI-SPEC.md"]).toBe("remote");
  });
});
