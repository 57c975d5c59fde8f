/**
 * The sandbox a command gets for a worktree, under git spe's rule: no sandbox, no run. Where
 * none can be made (no bubblewrap, user namespaces forbidden, not Linux) this is an exit-3
 * error naming what is missing and the fix — checked by `requireSandbox` before a run creates
 * anything — unless the config says `exec.sandbox: "off"`, which warns every time instead.
 */
import { environmentError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Workspace } from "../workspace.ts";
import { probeSandbox, type SandboxProbe } from "./probe.ts";
import { createSandbox, type Sandbox } from "./sandbox.ts";

export const sandboxOffWarning =
  'exec.sandbox is "off": the commands the model runs and the code it writes (tests, installs, the agent CLI) run with your full access to your files, keys and network';

/** The probe, or the exit-3 error when the config needs a sandbox that cannot be made. */
export async function requireSandbox(
  ws: Workspace,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<SandboxProbe> {
  const probe = await probeSandbox(env);
  if (ws.config.exec.sandbox === "off") {
    log.warn(sandboxOffWarning);
    return probe;
  }
  if (!probe.available)
    throw environmentError(
      `no sandbox: ${probe.reason}; git spe will not run model code unconfined`,
      {
        hint: `Fix: ${probe.fix}`,
      },
    );
  return probe;
}

export interface OpenSandboxOptions {
  ws: Workspace;
  env: NodeJS.ProcessEnv;
  /** The worktree the sandbox confines commands to (absolute; must exist when commands run). */
  worktree: string;
  probe: SandboxProbe;
}

export async function openSandbox(options: OpenSandboxOptions): Promise<Sandbox> {
  const { ws } = options;
  return createSandbox({
    probe: options.probe,
    config: ws.config,
    env: options.env,
    worktree: options.worktree,
    commonDir: ws.paths.commonDir,
    toplevel: ws.paths.toplevel,
  });
}
