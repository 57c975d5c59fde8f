/** Opening a store on a test repository, and the state.json a spec needs. */
import { openStore } from "../../src/store/open-store.ts";
import type { NotesStoreOptions } from "../../src/store/notes.ts";
import type { ArtifactStore, SpecState } from "../../src/store/types.ts";
import { openRepository, type Repository } from "../../src/workspace.ts";

export async function openTestRepository(cwd: string): Promise<Repository> {
  return openRepository({ cwd, env: process.env, signal: new AbortController().signal });
}

export async function openTestStore(
  cwd: string,
  kind: "dir" | "notes",
  options: NotesStoreOptions = {},
): Promise<ArtifactStore> {
  return openStore(kind, await openTestRepository(cwd), options);
}

/** A state.json for spec `id`, updated at `updatedAt` (ISO). */
export function stateJson(id: string, updatedAt: string, change: Partial<SpecState> = {}): string {
  const state: SpecState = {
    spe: "state/v1",
    id,
    title: `Title of ${id}`,
    phase: "spec",
    status: "specified",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt,
    ...change,
  };
  return `${JSON.stringify(state, null, 2)}\n`;
}
