/**
 * The row after bootstrap: the project's validators on the base, in the run's worktree before
 * any step, to know how many tests they run there (the ratchet of validation-gate.ts) and
 * whether the base passes at all. Measured once per run and taken from the base tree's
 * validation record when that has the counts. Whatever the validators leave in the worktree
 * (new untracked files, edits to tracked ones) is removed, so the first step starts from the
 * base exactly; ignored files (caches) stay, as they would after any step's validation.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { splitNul } from "../../git/parse-z.ts";
import type { Git } from "../../git/exec.ts";
import { listProjectValidators, runProjectValidators } from "../../plugins/validators.ts";
import { readTreeValidation, recordTreeValidation } from "../validation-records.ts";
import type { ExecContext } from "./context.ts";
import type { ValidationGate } from "./run-state.ts";
import { runValidate } from "./validation-changes.ts";

async function untracked(git: Git): Promise<Set<string>> {
  const { stdout } = await git.run([
    "--no-optional-locks",
    "ls-files",
    "-z",
    "--others",
    "--exclude-standard",
    "--directory",
  ]);
  return new Set(splitNul(stdout));
}

export async function baselineRow(c: ExecContext): Promise<"done" | "skipped"> {
  const { pe, state } = c;
  const commands = runValidate(c);
  const labels = listProjectValidators(pe.ws.config, commands);
  if (labels.length === 0) return "skipped";
  const git = c.worktreeGit();
  const tree = await git.text(["rev-parse", `${state.base}^{tree}`]);
  const record = await readTreeValidation(pe.ws.paths.commonDir, tree);
  let runs =
    record?.counted && labels.every((l) => record.commands.includes(l)) ? record.runs : undefined;
  if (!runs) {
    pe.log.info(`exec: validating the base ${state.base.slice(0, 12)} first (to count its tests)`);
    const before = await untracked(git);
    // No repo guard around it (it costs two snapshots): no model has run yet, the worktree holds
    // your committed base, and the validators run in the sandbox as they always do.
    const validation = await runProjectValidators({
      ws: pe.ws,
      worktree: state.worktree,
      sandbox: c.sandbox,
      env: pe.env,
      signal: pe.signal,
      log: pe.log,
      commands,
      stage: "validate",
      specId: state.specId,
      runId: state.runId,
      onValidator: (label) => pe.log.progress(`baseline: validating: ${label}`),
    });
    for (const entry of await untracked(git))
      if (!before.has(entry))
        await fs.rm(path.join(state.worktree, entry), { recursive: true, force: true });
    const { stdout } = await git.run([
      "--no-optional-locks",
      "status",
      "--porcelain",
      "-z",
      "--untracked-files=no",
    ]);
    if (stdout !== "") await git.run(["reset", "--quiet", "--hard", "HEAD"]);
    runs = validation.runs;
    await recordTreeValidation(pe.ws.paths.commonDir, {
      tree,
      passed: validation.passed,
      commands: labels,
      at: pe.now().toISOString(),
      by: `exec ${state.specId} ${state.runId} baseline`,
      runs,
      counted: true,
    });
    if (!validation.passed)
      pe.log.warn(
        `exec: the base fails validation already (${runs.at(-1)?.command}); each step must make it pass`,
      );
  }
  const baseline: NonNullable<ValidationGate["baseline"]> = {
    tree,
    runs: runs.map((r) => ({ command: r.command, ...(r.tests ? { tests: r.tests } : {}) })),
  };
  state.validationGate = { changes: [], baseline };
  await c.save();
  return "done";
}
