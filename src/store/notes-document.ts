/**
 * The note the notes store attaches to a commit. Pure.
 *
 * Every git spe record attached to one commit lives in ONE note blob, a JSON document:
 *
 *   {"spe":"notes/v1","specs":{"<spec id>":{"state.json":"…","AI-SPEC.md":"…",…},…}}
 *
 * - `spe`: the format tag. A note whose JSON has another tag is not ours (see "foreign" below).
 * - `specs`: the specs attached to this commit (several specs may share one base commit), each a
 *   map of artifact file name → file content (text). Other file names are kept as they are; an
 *   id that is not a valid spec id is not read.
 * - Any other top-level key holds a map of another kind of record, keyed by that record's id,
 *   e.g. `"runs": {"<run id>": {…}}` on step and merge commits. Readers ignore keys they do not
 *   know, writers keep them unchanged, and a merge unions each map by key.
 *
 * The document is written as one line of compact JSON followed by "\n". When git combines two
 * notes while rewriting commits (notes.rewriteMode `concatenate` or `cat_sort_uniq`, e.g. when a
 * rebase squashes two commits that both carry specs), the note becomes several such lines: every
 * line that is a document is read, and the documents are merged. Lines that are not (someone's
 * plain-text note on the same ref) are "foreign": kept, after the document, whenever git spe
 * rewrites the note, and otherwise ignored.
 */
import { specIdProblem } from "./spec-id.ts";
import { parseStoredState, updatedAtMs } from "./state-file.ts";

export const notesFormat = "notes/v1";

export type SpecFiles = Record<string, string>;

export interface NotesDocument {
  specs: Record<string, SpecFiles>;
  /** Other top-level record maps ("runs", …), kept as read. */
  records: Record<string, unknown>;
}

export interface ParsedNote {
  document: NotesDocument;
  /** Lines that are not git spe documents, in order. */
  foreign: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const emptyDocument = (): NotesDocument => ({ specs: {}, records: {} });

function parseDocumentLine(line: string): NotesDocument | undefined {
  if (!line.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.spe !== notesFormat) return undefined;
  const specs: Record<string, SpecFiles> = {};
  if (isObject(value.specs)) {
    for (const [id, files] of Object.entries(value.specs)) {
      // Notes arrive from remotes: an entry whose id is not a valid spec id is not read.
      if (!isObject(files) || specIdProblem(id) !== undefined) continue;
      specs[id] = Object.fromEntries(
        Object.entries(files).filter((entry): entry is [string, string] => {
          return typeof entry[1] === "string";
        }),
      );
    }
  }
  const records: Record<string, unknown> = {};
  for (const [key, record] of Object.entries(value)) {
    if (key !== "spe" && key !== "specs" && key !== "__proto__") records[key] = record;
  }
  return { specs, records };
}

export function parseNote(text: string): ParsedNote {
  let document = emptyDocument();
  const foreign: string[] = [];
  for (const line of text.split("\n")) {
    const parsed = parseDocumentLine(line);
    if (parsed) document = mergeDocuments(document, parsed);
    else if (line.trim() !== "") foreign.push(line);
  }
  return { document, foreign };
}

export function serializeNote(note: ParsedNote): string {
  const { specs, records } = note.document;
  const json = JSON.stringify({ spe: notesFormat, specs, ...records });
  return [json, ...note.foreign].join("\n") + "\n";
}

/** Of two copies of one spec, the one with the newer `state.updatedAt`; `a` on a tie. */
export function newerSpec(id: string, a: SpecFiles, b: SpecFiles): SpecFiles {
  const aMs = updatedAtMs(parseStoredState(a["state.json"], id));
  const bMs = updatedAtMs(parseStoredState(b["state.json"], id));
  return bMs > aMs ? b : a;
}

/**
 * Both documents' records: the union of spec ids (for an id on both sides the newer
 * `updatedAt` wins, `a` on a tie), and each other record map unioned by key (`a` wins a key
 * both have).
 */
export function mergeDocuments(a: NotesDocument, b: NotesDocument): NotesDocument {
  const specs: Record<string, SpecFiles> = { ...b.specs };
  for (const [id, files] of Object.entries(a.specs)) {
    const other = b.specs[id];
    specs[id] = other === undefined ? files : newerSpec(id, files, other);
  }
  const records: Record<string, unknown> = { ...b.records };
  for (const [key, value] of Object.entries(a.records)) {
    const other = b.records[key];
    records[key] = isObject(value) && isObject(other) ? { ...other, ...value } : value;
  }
  return { specs, records };
}

/** The merge of two whole notes: documents merged, foreign lines of both kept once. */
export function mergeNotes(a: ParsedNote, b: ParsedNote): ParsedNote {
  const foreign = [...a.foreign, ...b.foreign.filter((line) => !a.foreign.includes(line))];
  return { document: mergeDocuments(a.document, b.document), foreign };
}
