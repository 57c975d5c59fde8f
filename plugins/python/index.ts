/**
 * `python()`: git spe for Python projects, written only against the public plugin API.
 *
 * - Validators `python:pytest`, `python:ruff`, `python:flake8`, each when the project
 *   configures the tool (see detect.ts), run with the worktree's venv.
 * - A venv in the scratch worktree (`worktree:ready`) with the project's requirements.
 */
import { definePlugin, type Validator } from "git-spe";
import { toolValidator, type PythonTool } from "./validators.ts";
import { bootstrapVenv } from "./venv.ts";

export { detectPython, type PythonFiles, type PythonProject } from "./detect.ts";

export interface PythonPluginOptions {
  /** The interpreter that creates the venv, and runs tools when there is none (default "python3"). */
  python?: string;
  /** The venv's directory in the worktree (default ".venv"). */
  venv?: string;
  /** Tools to run as validators when configured: true (default) = pytest, ruff, flake8. */
  validators?: boolean | readonly PythonTool[];
  /** Create the venv in scratch worktrees (default true). */
  bootstrap?: boolean;
}

const tools: readonly PythonTool[] = ["pytest", "ruff", "flake8"];

export function python(options: PythonPluginOptions = {}) {
  const settings = { python: options.python ?? "python3", venv: options.venv ?? ".venv" };
  const chosen =
    options.validators === false
      ? []
      : options.validators === true || options.validators === undefined
        ? tools
        : options.validators;
  const validators: Record<string, Validator> = Object.fromEntries(
    chosen.map((tool) => [tool, toolValidator(tool, settings)]),
  );
  return definePlugin({
    name: "python",
    validators,
    hooks:
      options.bootstrap === false
        ? {}
        : { "worktree:ready": (ctx) => bootstrapVenv(ctx, settings) },
  });
}
