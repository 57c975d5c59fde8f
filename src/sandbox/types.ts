/** The sandbox's interface: what a command asks for, and what it is started with. */
import type { SpeConfig } from "../config/schema.ts";
import type { SandboxProbe } from "./probe.ts";

/** What a command is for; each use has its own network allowlist. */
export type SandboxUse = "bash" | "validate" | "bootstrap" | "agent";

export interface SpawnRequest {
  /** The program and its arguments. */
  argv: readonly string[];
  /** Must be the worktree or inside it. */
  cwd: string;
  /** The environment the command would have had unconfined (keys are filtered out). */
  env: NodeJS.ProcessEnv;
  /** Variables of `env` the command needs besides the allowlist (an agent CLI's own key). */
  passEnv?: readonly string[];
  /** Hosts allowed besides the use's configured ones (an agent CLI's API host). */
  hosts?: readonly string[];
  /** Directories to make readable (an agent CLI's installation). */
  readOnly?: readonly string[];
  /**
   * See the worktree at `agentWorktree` (a path with no `.git` in it) and start there: for an
   * agent CLI that will not edit files under a `.git` directory.
   */
  atAlias?: boolean;
  /**
   * Files to write into the scratch `$HOME` before the command starts (paths relative to it):
   * an agent CLI's settings where it reads them from nowhere else. Ignored when unconfined (the
   * user's own `$HOME` is never written), and shadowed by the user's files where the config
   * makes them writable in the sandbox.
   */
  homeFiles?: Readonly<Record<string, string>>;
}

/** Where an agent CLI sees the worktree inside the sandbox (`SpawnRequest.atAlias`). */
export const agentWorktree = "/tmp/git-spe-worktree";

export interface SandboxSpawn {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Sandbox extends AsyncDisposable {
  /** true: bubblewrap confines commands; false: `exec.sandbox: "off"`. */
  readonly confined: boolean;
  readonly worktree: string;
  /** `$HOME` as commands see it (a scratch directory when confined). */
  readonly home: string;
  /** How to start `request` for `use`. */
  spawn(use: SandboxUse, request: SpawnRequest): Promise<SandboxSpawn>;
  /** Hosts the proxy refused since the last call (for the tool result and the log). */
  takeDeniedHosts(): string[];
  /** One line for logs and doctor: what commands may reach. */
  describe(): string;
  dispose(): Promise<void>;
}

export interface CreateSandboxOptions {
  probe: SandboxProbe;
  config: SpeConfig;
  /** The environment of git spe (HOME, PATH are read from it). */
  env: NodeJS.ProcessEnv;
  worktree: string;
  commonDir: string;
  toplevel: string;
}
