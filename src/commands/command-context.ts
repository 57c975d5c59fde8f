import type { Readable, Writable } from "node:stream";
import type { Logger } from "../log.ts";

/** What every command function receives: no globals, so commands are testable as functions. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  /** Never prompt: --yes, CI set, or stdin not a terminal. */
  yes: boolean;
  stdin: Readable;
  /** For bulk data (a packed context); everything else goes through `log`. */
  stdout: Writable;
  /**
   * Asks a person to confirm or change a proposed answer (a terminal prompt). Absent when
   * nobody can be asked: --yes, CI, or stdin not a terminal.
   */
  ask?: (question: string, proposed: string) => Promise<string>;
  /** Asks a yes/no question on a terminal; absent when nobody can be asked (then: yes). */
  confirm?: (message: string) => Promise<boolean>;
}
