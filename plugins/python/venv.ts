/**
 * A virtual environment in the scratch worktree (`worktree:ready`): `python -m venv`, then the
 * requirements files and, for a package, `pip install -e .`. A venv cannot be linked or moved
 * (its scripts name their own path), so `exec.worktree.deps: "link"` creates one as "install"
 * does; "none" skips it. The venv ignores itself (a `.gitignore` of `*` inside, as Python 3.13's
 * venv writes), so steps never commit it. Without anything to install no pip is set up, and
 * nothing touches the network.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { HookContext } from "git-spe";
import { checkDepsCommand, exists } from "../shared.ts";
import { readPythonProject } from "./project.ts";

export interface VenvOptions {
  /** Interpreter that creates the venv. */
  python: string;
  /** Directory of the venv, relative to the worktree. */
  venv: string;
}

export async function bootstrapVenv(
  ctx: HookContext<"worktree:ready">,
  options: VenvOptions,
): Promise<void> {
  const { worktree, deps } = ctx.event;
  if (deps === "none") return;
  const project = await readPythonProject(worktree);
  if (!project.isPython) return;
  const venv = path.join(worktree, options.venv);
  if (await exists(venv)) return;
  const installs = [
    ...project.requirements.map((file) => ["-r", file]),
    ...(project.editable ? [["-e", "."]] : []),
  ];
  const create = [
    options.python,
    "-m",
    "venv",
    ...(installs.length === 0 ? ["--without-pip"] : []),
    venv,
  ];
  ctx.log.info(`creating a virtual environment in the worktree: ${options.venv}`);
  checkDepsCommand(await ctx.exec(create), `${options.python} -m venv`);
  await fs.writeFile(path.join(venv, ".gitignore"), "*\n");
  const pip = [
    path.join(venv, "bin", "python"),
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
  ];
  for (const args of installs) {
    ctx.log.info(`installing: pip install ${args.join(" ")}`);
    checkDepsCommand(await ctx.exec([...pip, ...args]), `pip install ${args.join(" ")}`);
  }
}
