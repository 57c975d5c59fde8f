/** The environment a phase command runs in: the workspace, its store, and the command's services. */
import { openStore } from "../store/open-store.ts";
import type { PhaseEnvironment } from "../workflow/phase-environment.ts";
import { openWorkspace } from "../workspace.ts";
import type { CommandContext } from "./command-context.ts";

export async function openPhaseEnvironment(
  ctx: CommandContext,
  now: () => Date = () => new Date(),
): Promise<PhaseEnvironment> {
  const ws = await openWorkspace(ctx);
  return {
    ws,
    store: openStore(ws.config.store, ws),
    cwd: ctx.cwd,
    env: ctx.env,
    signal: ctx.signal,
    log: ctx.log,
    now,
    ...(ctx.ask ? { ask: ctx.ask } : {}),
    ...(ctx.confirm ? { confirm: ctx.confirm } : {}),
  };
}
