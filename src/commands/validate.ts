/** `git spe validate [REV]`: the validators on REV in a temporary worktree, recorded by tree id. */
import { workFailed } from "../errors.ts";
import { failedRun } from "../workflow/execute/run-state.ts";
import { outputTail } from "../workflow/execute/validation.ts";
import { validateRevision, type RevisionValidation } from "../workflow/validate-revision.ts";
import { openWorkspace } from "../workspace.ts";
import type { CommandContext } from "./command-context.ts";

export async function validate(ctx: CommandContext, rev = "HEAD"): Promise<RevisionValidation> {
  const ws = await openWorkspace(ctx);
  const result = await validateRevision(rev, {
    ws,
    env: ctx.env,
    signal: ctx.signal,
    log: ctx.log,
    by: "validate",
  });
  if (!result.passed) {
    const run = failedRun(result);
    throw workFailed(
      `validation of ${rev} (${result.commit.slice(0, 12)}) failed: ${run?.command} ${run?.timedOut ? "timed out" : `exited ${run?.exitCode}`}\n${outputTail(run?.output, 15, "  ")}`,
      { hint: "The failure is recorded; fix it, commit, and validate again." },
    );
  }
  ctx.log.success(
    `validated ${rev} (${result.commit.slice(0, 12)}, tree ${result.tree.slice(0, 12)}): ${result.commands.join(", ")} passed; recorded for git push`,
  );
  return result;
}
