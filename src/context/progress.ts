/**
 * Progress for packs that take more than a second: nothing before, then at most one update
 * every half second, cleared at the end. The logger keeps it off under --quiet and --json.
 */
import type { Logger } from "../log.ts";

export interface Progress {
  update(text: string): void;
  done(): void;
}

export function createProgress(
  log: Pick<Logger, "progress">,
  started: number,
  now: () => number = () => performance.now(),
): Progress {
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const t = now();
      if (t - started < 1000 || t - last < 500) return;
      last = t;
      shown = true;
      log.progress(`git spe context: ${text} (${((t - started) / 1000).toFixed(1)} s)`);
    },
    done() {
      if (shown) log.progress(undefined);
    },
  };
}
