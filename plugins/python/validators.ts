/**
 * pytest, ruff and flake8 as validators, each only where the project configures it, run with
 * the worktree's venv when there is one (else the configured interpreter). A tool the config's
 * `validate` already runs is skipped, not run twice.
 */
import path from "node:path";
import type { Validator } from "git-spe";
import { exists } from "../shared.ts";
import { readPythonProject } from "./project.ts";

export type PythonTool = "pytest" | "ruff" | "flake8";

const args: Record<PythonTool, string[]> = {
  pytest: ["-m", "pytest", "-q"],
  ruff: ["-m", "ruff", "check", "."],
  flake8: ["-m", "flake8"],
};

export function toolValidator(
  tool: PythonTool,
  options: { python: string; venv: string },
): Validator {
  return async (ctx) => {
    const project = await readPythonProject(ctx.cwd);
    if (!project[tool]) return { skipped: `${tool} is not configured` };
    const configured = ctx.config.validate.find((c) => new RegExp(`\\b${tool}\\b`).test(c));
    if (configured) return { skipped: `"${configured}" is in validate already` };
    const venvPython = path.join(ctx.cwd, options.venv, "bin", "python");
    const python = (await exists(venvPython)) ? venvPython : options.python;
    const result = await ctx.exec([python, ...args[tool]]);
    return { ok: result.ok, output: result.output };
  };
}
