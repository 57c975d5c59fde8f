/**
 * What both back ends check about the files they are given and the `state.json` they read.
 * Pure. A caller that breaks these rules has a bug (the workflow writes the store, not the user),
 * so the errors are InternalErrors with a precise message.
 */
import { InternalError } from "../errors.ts";
import { artifactNames, type ArtifactName, type SpecState } from "./types.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The state in `text` when it is a valid `state.json` (of spec `id`, when given). */
export function parseStoredState(text: string | undefined, id?: string): SpecState | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.spe !== "state/v1") return undefined;
  for (const key of ["id", "title", "phase", "status", "createdAt", "updatedAt"]) {
    if (typeof value[key] !== "string") return undefined;
  }
  if (id !== undefined && value.id !== id) return undefined;
  return value as unknown as SpecState;
}

/** Milliseconds of `updatedAt`; -Infinity when missing or unreadable, so it never wins. */
export function updatedAtMs(state: SpecState | undefined): number {
  const ms = state ? Date.parse(state.updatedAt) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

export function isArtifactName(name: string): name is ArtifactName {
  return (artifactNames as readonly string[]).includes(name);
}

/**
 * Checks one `write()` call: known artifact names only (a name is joined into a path), text
 * contents, and for a new spec a `state.json` of this id.
 */
export function checkWrite(
  id: string,
  files: Partial<Record<ArtifactName, string>>,
  specExists: boolean,
): void {
  const names = Object.keys(files);
  for (const name of names) {
    if (!isArtifactName(name)) {
      throw new InternalError(
        `store write of spec ${id}: unknown artifact ${JSON.stringify(name)}`,
      );
    }
    if (typeof files[name] !== "string") {
      throw new InternalError(`store write of spec ${id}: ${name} is not text`);
    }
  }
  const stateText = files["state.json"];
  if (stateText !== undefined && !parseStoredState(stateText, id)) {
    throw new InternalError(
      `store write of spec ${id}: state.json is not a valid state/v1 document for this id`,
    );
  }
  if (!specExists && stateText === undefined) {
    throw new InternalError(`store write of spec ${id}: a new spec needs its state.json`);
  }
}
