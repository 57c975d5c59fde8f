/**
 * Plugins git spe runs without being asked, so a Node project's scratch worktree gets its
 * dependencies with any config (JSON configs cannot list plugins): the first-party `node`
 * plugin with its validators off — only the bootstrap that `exec.worktree.deps` governs.
 * A config that lists a plugin named "node" (e.g. `node()` with validators) replaces it.
 */
import { node } from "../../plugins/node/index.ts";
import type { SpePlugin } from "./types.ts";

let defaults: readonly SpePlugin[] | undefined;

export function defaultPlugins(): readonly SpePlugin[] {
  return (defaults ??= [node({ validators: false })]);
}
