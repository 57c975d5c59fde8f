/**
 * `git spe hook <name> [args]`: what the installed hooks run.
 * - pre-push <remote> <url>: the validation gate (stdin: the pushed refs); exit 1 refuses.
 * - prepare-commit-msg <file> [source] [sha]: adds the Spe-Spec trailer on a spe/<id> branch.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { usageError } from "../errors.ts";
import { readStreamText } from "../util/read-stream.ts";
import { checkPush, refusal } from "../hooks/pre-push.ts";
import { readRef, symbolicHead } from "../git/refs.ts";
import { failedRun } from "../workflow/execute/run-state.ts";
import { outputTail } from "../workflow/execute/validation.ts";
import { validateRevision } from "../workflow/validate-revision.ts";
import { openRepository, openWorkspace } from "../workspace.ts";
import type { CommandContext } from "./command-context.ts";
import { notesPush } from "./notes.ts";

export async function prePushHook(ctx: CommandContext, remote: string): Promise<number> {
  // Our own notes push, from inside this hook: nothing to check there.
  if (ctx.env.SPE_NESTED === "1") return 0;
  const ws = await openWorkspace(ctx);
  const settings = ws.config.hooks.prePush;
  const input = await readStreamText(ctx.stdin);
  const { updates, speCommits, unvalidated } = await checkPush(ws, remote, input);
  ctx.log.debug(
    `pre-push: ${updates.length} ref(s), ${speCommits.length} Spe-Spec commit(s), ${unvalidated.length} unvalidated`,
  );
  if (settings.requireValidated && unvalidated.length > 0) {
    for (const line of refusal(unvalidated, ws.config.validate.length > 0)) ctx.log.info(line);
    return 1;
  }
  if (settings.runValidators) {
    for (const update of updates) {
      const result = await validateRevision(update.localOid, {
        ws,
        env: ctx.env,
        signal: ctx.signal,
        log: ctx.log,
        useRecord: true,
        by: "pre-push",
      });
      if (!result.passed) {
        const run = failedRun(result);
        ctx.log.info(
          `git spe: push refused: ${run?.command} fails on ${update.localRef} (${result.commit.slice(0, 12)}):\n${outputTail(run?.output, 15)}\nPush once without the check: SPE=0 git push`,
        );
        return 1;
      }
      ctx.log.info(
        `git spe: ${update.localRef} validated${result.cached ? " (already, tree unchanged)" : ""}`,
      );
    }
  }
  // `updates` are the refs that carry code (not deletes, not notes).
  if (settings.pushNotes && updates.length > 0 && (await readRef(ws.git, "refs/notes/spe"))) {
    try {
      await notesPush({ ...ctx, env: { ...ctx.env, SPE_NESTED: "1" } }, remote);
    } catch (error) {
      ctx.log.warn(
        `could not push refs/notes/spe to ${remote}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      );
    }
  }
  return 0;
}

export async function prepareCommitMsgHook(ctx: CommandContext, file: string): Promise<number> {
  const { git } = await openRepository(ctx);
  const spec = /^refs\/heads\/spe\/(.+)$/.exec((await symbolicHead(git)) ?? "")?.[1];
  if (!spec) return 0;
  const target = path.resolve(ctx.cwd, file);
  if (/^Spe-Spec:/m.test(await fs.readFile(target, "utf8"))) return 0;
  await git.run([
    "interpret-trailers",
    "--in-place",
    "--if-exists",
    "doNothing",
    "--trailer",
    `Spe-Spec: ${spec}`,
    target,
  ]);
  return 0;
}

export async function hook(
  ctx: CommandContext,
  name: string,
  args: readonly string[],
): Promise<number> {
  if (name === "pre-push") return prePushHook(ctx, args[0] ?? "origin");
  if (name === "prepare-commit-msg") {
    if (!args[0]) throw usageError("prepare-commit-msg needs the message file");
    return prepareCommitMsgHook(ctx, args[0]);
  }
  throw usageError(`git spe has no ${name} hook`, {
    hint: "Installed hooks: pre-push, prepare-commit-msg (git spe init).",
  });
}
