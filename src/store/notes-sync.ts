/**
 * Sharing `refs/notes/spe` with a remote. Pull fetches the remote's notes into a private ref
 * (`refs/spe/remotes/<remote>/notes`, never the user's FETCH_HEAD) and then takes it, fast-forwards,
 * or merges both sides (notes-merge.ts), under the notes lock with the old value checked. Push
 * pushes without force; when the remote moved on it pulls (merges) and pushes once more.
 */
import { GitError, workFailed } from "../errors.ts";
import type { Git } from "../git/exec.ts";
import { isAncestor } from "../git/refs.ts";
import { mergeNotesCommits } from "./notes-merge.ts";
import { notesRef, resolveCommit, type NotesRepo } from "./notes-ref.ts";
import { updateNotes } from "./notes-update.ts";
import type { NotesLockOptions } from "./notes-lock.ts";
import { checkRemoteName, remoteFailure, trackingRef } from "./notes-remote.ts";

export interface NotesPullResult {
  remote: string;
  action: "no-remote-notes" | "up-to-date" | "created" | "fast-forward" | "merged";
  /** refs/notes/spe before and after the pull; null when it did not exist. */
  before: string | null;
  after: string | null;
  /** The remote's refs/notes/spe as fetched; null when the remote has none. */
  fetched: string | null;
  /** Notes changed on both sides and merged record by record. */
  mergedNotes: number;
}

export interface NotesPushResult {
  remote: string;
  /** "pulled-and-pushed": the remote had moved on, so git spe pulled (see `pull`) and pushed. */
  action: "nothing-to-push" | "up-to-date" | "pushed" | "pulled-and-pushed";
  /** The notes commit the remote has now; null when nothing was pushed. */
  pushed: string | null;
  /** The pull a rejected push needed first. */
  pull?: NotesPullResult;
}

export async function pullNotes(
  repo: NotesRepo,
  remote: string,
  options: NotesLockOptions = {},
): Promise<NotesPullResult> {
  const { git } = repo;
  checkRemoteName(remote);
  const tracking = trackingRef(remote);
  const fetch = ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--end-of-options"];
  try {
    await git.run([...fetch, remote, `+${notesRef}:${tracking}`]);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (!/couldn't find remote ref/.test(error.stderr))
      throw remoteFailure("fetch from", remote, error);
    const current = (await resolveCommit(git, notesRef)) ?? null;
    return {
      remote,
      action: "no-remote-notes",
      before: current,
      after: current,
      fetched: null,
      mergedNotes: 0,
    };
  }
  const fetched = await resolveCommit(git, tracking);
  if (fetched === undefined)
    throw workFailed(`fetched ${remote}'s ${notesRef}, but it is not a commit`);
  let action: NotesPullResult["action"] = "up-to-date";
  let mergedNotes = 0;
  const { before, after } = await updateNotes(
    repo,
    async (local) => {
      mergedNotes = 0;
      if (local === undefined) return ((action = "created"), fetched);
      if (local === fetched || (await isAncestor(git, fetched, local))) {
        return ((action = "up-to-date"), undefined);
      }
      if (await isAncestor(git, local, fetched)) return ((action = "fast-forward"), fetched);
      action = "merged";
      const merge = await mergeNotesCommits(
        repo,
        local,
        fetched,
        `git spe: merge notes from ${remote}`,
      );
      mergedNotes = merge.mergedNotes;
      return merge.commit;
    },
    options,
  );
  return { remote, action, before: before ?? null, after: after ?? null, fetched, mergedNotes };
}

type PushOutcome = "pushed" | "up-to-date" | "behind";

/** Pull-and-push rounds after a first push that was behind. */
const pushAttempts = 4;

async function pushOnce(git: Git, remote: string): Promise<PushOutcome> {
  let result;
  try {
    const refspec = `${notesRef}:${notesRef}`;
    result = await git.run(["push", "--porcelain", "--end-of-options", remote, refspec], {
      okExitCodes: [1],
    });
  } catch (error) {
    if (error instanceof GitError) throw remoteFailure("push to", remote, error);
    throw error;
  }
  const line = result.stdout.split("\n").find((l) => l.includes(`\t${notesRef}:${notesRef}\t`));
  const [flag, , summary = ""] = line?.split("\t") ?? [];
  if (flag === "=") return "up-to-date";
  if (flag === " " || flag === "*" || flag === "+") return "pushed";
  if (flag === "!" && /^\[rejected\] \((non-fast-forward|fetch first)\)/.test(summary))
    return "behind";
  // Another push to the same remote moved the ref between receive-pack's check and its update
  // (or held the lock): the same as being behind, so pull and try again.
  if (flag === "!" && /^\[remote rejected\] \((failed to update ref|cannot lock ref)/.test(summary))
    return "behind";
  const reason = summary || result.stderr.trim().split("\n").at(-1) || `exit ${result.exitCode}`;
  throw workFailed(`cannot push ${notesRef} to ${remote}: ${reason}`);
}

export async function pushNotes(
  repo: NotesRepo,
  remote: string,
  options: NotesLockOptions = {},
): Promise<NotesPushResult> {
  checkRemoteName(remote);
  const local = await resolveCommit(repo.git, notesRef);
  if (local === undefined) return { remote, action: "nothing-to-push", pushed: null };
  const first = await pushOnce(repo.git, remote);
  if (first !== "behind") {
    return { remote, action: first === "pushed" ? "pushed" : "up-to-date", pushed: local };
  }
  // Behind (or lost a race with another push): merge the remote's notes and push again, a few
  // times, since several CI jobs can be pushing notes to the same remote at once.
  let pull: NotesPullResult;
  let merged: string | null;
  let second: PushOutcome;
  let tries = 0;
  do {
    pull = await pullNotes(repo, remote, options);
    merged = (await resolveCommit(repo.git, notesRef)) ?? null;
    second = await pushOnce(repo.git, remote);
  } while (second === "behind" && ++tries < pushAttempts);
  if (second === "behind") {
    throw workFailed(`${remote}'s ${notesRef} changed again while git spe was merging it`, {
      hint: "Someone else is pushing notes right now; run git spe notes push again.",
    });
  }
  // Up to date after the pull: the remote was simply ahead, and now we have its notes.
  return {
    remote,
    action: second === "pushed" ? "pulled-and-pushed" : "up-to-date",
    pushed: merged,
    pull,
  };
}
