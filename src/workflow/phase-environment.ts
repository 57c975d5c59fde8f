import type { Logger } from "../log.ts";
import type { ArtifactStore } from "../store/types.ts";
import type { Workspace } from "../workspace.ts";

/** What a phase runs with: the repository, its store, and the services of the command. */
export interface PhaseEnvironment {
  ws: Workspace;
  store: ArtifactStore;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  now: () => Date;
  /** Asks a person to confirm or change a proposed answer; absent under --yes or without a TTY. */
  ask?: (question: string, proposed: string) => Promise<string>;
  /** Asks a yes/no question on a terminal; absent under --yes, CI or without a TTY. */
  confirm?: (message: string) => Promise<boolean>;
}
