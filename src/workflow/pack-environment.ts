/**
 * packContext's environment in a workspace: kept apart from phase-context.ts so that
 * `git spe context` does not load the model providers.
 */
import type { PackEnvironment } from "../context/pack.ts";
import type { SelectorOptions } from "../context/select.ts";
import type { Logger } from "../log.ts";
import { pluginEnvironment } from "../plugins/environment.ts";
import { selectorsFor } from "../plugins/selectors.ts";
import type { Workspace } from "../workspace.ts";

/** packContext's environment in a workspace, with the plugin selectors the user picked. */
export function packEnvironment(
  io: { ws: Workspace; cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal; log: Logger },
  select: SelectorOptions["select"],
): PackEnvironment {
  const { ws } = io;
  return {
    git: ws.git,
    toplevel: ws.paths.toplevel,
    commonDir: ws.paths.commonDir,
    cwd: io.cwd,
    signal: io.signal,
    log: io.log,
    ...selectorsFor(pluginEnvironment(io), select),
  };
}
