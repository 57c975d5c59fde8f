/**
 * Validators from package.json scripts (`test`, `typecheck`, `lint` by default), run with the
 * project's package manager in the worktree. A script that is absent, npm's placeholder test
 * script, or a script the config's `validate` already runs is skipped, not run twice.
 */
import type { Validator } from "git-spe";
import { readNodeProject } from "./project.ts";
import { scriptCommandSpellings } from "./package-manager.ts";

/** What `npm init` writes: it always fails, so it is no test. */
export const isNpmPlaceholderTest = (body: string): boolean => /no test specified/.test(body);

const normalize = (command: string) => command.trim().replace(/\s+/g, " ");

export function scriptValidator(script: string): Validator {
  return async (ctx) => {
    const project = await readNodeProject(ctx.cwd);
    if (!project) return { skipped: "no package.json" };
    const body = project.scripts[script];
    if (body === undefined || body.trim() === "") return { skipped: `no "${script}" script` };
    if (script === "test" && isNpmPlaceholderTest(body))
      return { skipped: "the test script is npm's placeholder" };
    const spellings = scriptCommandSpellings(script);
    const configured = ctx.config.validate.find((c) => spellings.includes(normalize(c)));
    if (configured) return { skipped: `"${configured}" is in validate already` };
    const result = await ctx.exec(project.packageManager.run(script));
    return { ok: result.ok, output: result.output };
  };
}
