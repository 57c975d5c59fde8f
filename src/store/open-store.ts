/** The artifact store a repository is configured for (`store: "dir" | "notes"`). */
import type { Git } from "../git/exec.ts";
import type { RepoPaths } from "../git/repo.ts";
import { createDirStore } from "./dir.ts";
import { createNotesStore, type NotesStoreOptions } from "./notes.ts";
import type { ArtifactStore } from "./types.ts";

export interface StoreRepository {
  git: Git;
  paths: Pick<RepoPaths, "toplevel" | "commonDir">;
}

export function openStore(
  kind: "dir" | "notes",
  repo: StoreRepository,
  options: NotesStoreOptions = {},
): ArtifactStore {
  return kind === "notes" ? createNotesStore(repo, options) : createDirStore(repo.paths.toplevel);
}
