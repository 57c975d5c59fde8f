/**
 * `node()`: git spe for Node projects, written only against the public plugin API.
 *
 * - Validators from package.json scripts (`test`, `typecheck`, `lint`), run as `node:test`, …
 *   with the package manager the lockfile (or the `packageManager` field) names: npm, pnpm,
 *   yarn or bun.
 * - Dependencies in the scratch worktree (`worktree:ready`), per `exec.worktree.deps`.
 *
 * git spe runs `node({ validators: false })` by default; list `node()` in `plugins` to get the
 * validators too.
 */
import { definePlugin, type Validator } from "git-spe";
import { bootstrapNodeModules } from "./bootstrap.ts";
import { scriptValidator } from "./validators.ts";

export { choosePackageManager, type PackageManager } from "./package-manager.ts";

export interface NodePluginOptions {
  /** Scripts to run as validators: true (default) = test, typecheck, lint; false = none. */
  validators?: boolean | readonly string[];
  /** Provide node_modules in scratch worktrees (default true). */
  bootstrap?: boolean;
}

export const defaultScripts = ["test", "typecheck", "lint"] as const;

export function node(options: NodePluginOptions = {}) {
  const scripts =
    options.validators === false
      ? []
      : options.validators === true || options.validators === undefined
        ? defaultScripts
        : options.validators;
  const validators: Record<string, Validator> = Object.fromEntries(
    scripts.map((script) => [script, scriptValidator(script)]),
  );
  return definePlugin({
    name: "node",
    validators,
    hooks: options.bootstrap === false ? {} : { "worktree:ready": bootstrapNodeModules },
  });
}
