/** The sandbox's unconfined variant, and the one rule every variant keeps: cwd in the worktree. */
import os from "node:os";
import path from "node:path";
import { commandEnvironment, configuredSecretNames } from "../agent/command-env.ts";
import type { SpeConfig } from "../config/schema.ts";
import { describeSandboxPolicy } from "./describe.ts";
import { isInside } from "./policy.ts";
import type { Sandbox } from "./types.ts";

/**
 * Commands as they are (keys and git's repository variables scrubbed): `exec.sandbox: "off"`,
 * and a plugin's own commands outside any worktree (`worktree: "/"`), which run no model code.
 */
export function unconfinedSandbox(options: { config: SpeConfig; worktree: string }): Sandbox {
  const secrets = configuredSecretNames(options.config);
  const sandbox: Sandbox = {
    confined: false,
    worktree: options.worktree,
    home: os.homedir(),
    async spawn(use, request) {
      requireInside(request.cwd, options.worktree);
      const env = use === "agent" ? { ...request.env } : commandEnvironment(request.env, secrets);
      for (const name of request.passEnv ?? [])
        if (request.env[name] !== undefined) env[name] = request.env[name];
      return {
        file: request.argv[0] as string,
        args: request.argv.slice(1),
        env,
        cwd: request.cwd,
      };
    },
    takeDeniedHosts: () => [],
    describe: () => describeSandboxPolicy("off", ""),
    dispose: async () => {},
    [Symbol.asyncDispose]: () => sandbox.dispose(),
  };
  return sandbox;
}

export function requireInside(cwd: string, worktree: string): void {
  if (!isInside(path.resolve(cwd), path.resolve(worktree)))
    throw new Error(`sandbox: ${cwd} is not inside the worktree ${worktree}`);
}
