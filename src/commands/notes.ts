/**
 * `git spe notes push|pull [REMOTE]`: share refs/notes/spe (the notes store) with a remote,
 * merging both sides without losing either. REMOTE defaults to the current branch's upstream
 * remote, else "origin". Each logs one line for people and returns its result for --json.
 */
import {
  pullNotes,
  pushNotes,
  type NotesPullResult,
  type NotesPushResult,
} from "../store/notes-sync.ts";
import { checkRemoteName, defaultRemote } from "../store/notes-remote.ts";
import { openRepository } from "../workspace.ts";
import type { CommandContext } from "./command-context.ts";

export type { NotesPullResult, NotesPushResult };

const short = (commit: string | null) => (commit ?? "").slice(0, 12);

export function formatPullResult(result: NotesPullResult): string {
  const { remote } = result;
  switch (result.action) {
    case "no-remote-notes":
      return `${remote} has no refs/notes/spe: nothing to pull`;
    case "up-to-date":
      return `refs/notes/spe already has everything from ${remote}`;
    case "created":
      return `took ${remote}'s refs/notes/spe (${short(result.after)})`;
    case "fast-forward":
      return `fast-forwarded refs/notes/spe to ${remote}'s (${short(result.after)})`;
    case "merged":
      return (
        `merged ${remote}'s refs/notes/spe into yours (${short(result.after)}; ` +
        `${result.mergedNotes} note${result.mergedNotes === 1 ? "" : "s"} changed on both sides)`
      );
  }
}

export function formatPushResult(result: NotesPushResult): string {
  const { remote } = result;
  switch (result.action) {
    case "nothing-to-push":
      return "nothing to push: there is no refs/notes/spe here yet";
    case "up-to-date":
      return `${remote}'s refs/notes/spe is up to date: nothing to push`;
    case "pushed":
      return `pushed refs/notes/spe to ${remote} (${short(result.pushed)})`;
    case "pulled-and-pushed":
      return `${remote} had new notes: ${formatPullResult(result.pull as NotesPullResult)}; pushed (${short(result.pushed)})`;
  }
}

async function open(ctx: CommandContext, remote: string | undefined) {
  if (remote !== undefined) checkRemoteName(remote);
  const repo = await openRepository(ctx);
  return { repo, remote: remote ?? checkRemoteName(await defaultRemote(repo.git)) };
}

export async function notesPush(ctx: CommandContext, remote?: string): Promise<NotesPushResult> {
  const opened = await open(ctx, remote);
  const result = await pushNotes(opened.repo, opened.remote, { signal: ctx.signal });
  ctx.log.info(formatPushResult(result));
  return result;
}

export async function notesPull(ctx: CommandContext, remote?: string): Promise<NotesPullResult> {
  const opened = await open(ctx, remote);
  const result = await pullNotes(opened.repo, opened.remote, { signal: ctx.signal });
  ctx.log.info(formatPullResult(result));
  return result;
}
