/**
 * `git spe hook pre-push <remote> <url>`: the validation gate. Every commit the push sends that
 * carries a Spe-Spec trailer must have a passing validation record for its exact tree (exec
 * records one per step; `git spe validate REV` records one), or a run record on refs/notes/spe
 * attached to it that validated that tree (a run on CI, its notes pulled). With hooks.prePush.runValidators
 * the pushed tips are validated too, in a temporary worktree, cached by tree id. With
 * hooks.prePush.pushNotes refs/notes/spe is pushed alongside.
 */
import type { Git } from "../git/exec.ts";
import { readRef } from "../git/refs.ts";
import type { Workspace } from "../workspace.ts";
import { parseNote } from "../store/notes-document.ts";
import { notesRef, readNotesAt, resolveCommit, type NotesSnapshot } from "../store/notes-ref.ts";
import { runValidations, type RunState } from "../workflow/execute/run-state.ts";
import { readTreeValidation } from "../workflow/validation-records.ts";
import { isCreate, isDelete, isNotes, parsePushInput, type RefUpdate } from "./push-ranges.ts";

export interface SpeCommit {
  commit: string;
  tree: string;
  spec: string;
  subject: string;
}

export interface PrePushResult {
  ok: boolean;
  checked: number;
  unvalidated: SpeCommit[];
  /** Tips validated by runValidators (tree ids), and the ones that failed. */
  validatedTips: string[];
  failedTips: { ref: string; tree: string; command: string }[];
  notesPushed: boolean;
}

/** The commits `update` sends that the remote does not have. */
async function sentCommits(git: Git, remote: string, update: RefUpdate): Promise<SpeCommit[]> {
  const exclude =
    !isCreate(update) && (await readRef(git, `${update.remoteOid}^{commit}`))
      ? [`^${update.remoteOid}`]
      : ["--not", `--remotes=${remote}`];
  const { stdout } = await git.run([
    "log",
    "-z",
    "--format=%H%x1f%T%x1f%(trailers:key=Spe-Spec,valueonly,separator=%x2c)%x1f%s",
    update.localOid,
    ...exclude,
    "--",
  ]);
  return stdout
    .split("\0")
    .filter((record) => record.trim() !== "")
    .map((record) => {
      const [commit = "", tree = "", spec = "", subject = ""] = record
        .replace(/^\n/, "")
        .split("\u001f");
      return { commit, tree, spec: spec.trim(), subject };
    });
}

export async function checkPush(
  ws: Workspace,
  remote: string,
  input: string,
): Promise<{ updates: RefUpdate[]; speCommits: SpeCommit[]; unvalidated: SpeCommit[] }> {
  const updates = parsePushInput(input).filter((u) => !isDelete(u) && !isNotes(u));
  const seen = new Set<string>();
  const speCommits: SpeCommit[] = [];
  for (const update of updates) {
    for (const commit of await sentCommits(ws.git, remote, update)) {
      if (commit.spec === "" || seen.has(commit.commit)) continue;
      seen.add(commit.commit);
      speCommits.push(commit);
    }
  }
  const unvalidated: SpeCommit[] = [];
  let notes: NotesSnapshot | undefined;
  for (const commit of speCommits) {
    if ((await readTreeValidation(ws.paths.commonDir, commit.tree))?.passed) continue;
    notes ??= await readNotesAt(ws.git, await resolveCommit(ws.git, notesRef));
    if (!(await validatedInNotes(ws.git, notes, commit))) unvalidated.push(commit);
  }
  return { updates, speCommits, unvalidated };
}

/**
 * A run record on refs/notes/spe attached to the commit (a run elsewhere, e.g. on CI, whose
 * notes were pulled) with a passing validation of the commit's exact tree.
 */
async function validatedInNotes(
  git: Git,
  notes: NotesSnapshot,
  commit: SpeCommit,
): Promise<boolean> {
  const blob = notes.notes.get(commit.commit);
  if (blob === undefined) return false;
  const { document } = parseNote(await git.text(["cat-file", "blob", blob]));
  const runs = document.records.runs;
  if (typeof runs !== "object" || runs === null) return false;
  return Object.values(runs).some(
    (record) =>
      typeof record === "object" &&
      record !== null &&
      runValidations(record as Partial<RunState>).some(
        ({ validation }) => validation.passed === true && validation.tree === commit.tree,
      ),
  );
}

export function refusal(
  unvalidated: readonly SpeCommit[],
  validatorsConfigured: boolean,
): string[] {
  const lines = [
    `git spe: push refused: ${unvalidated.length} commit${unvalidated.length === 1 ? "" : "s"} with a Spe-Spec trailer ${unvalidated.length === 1 ? "has" : "have"} no passing validation for ${unvalidated.length === 1 ? "its" : "their"} exact tree:`,
    ...unvalidated.map((c) => `  ${c.commit.slice(0, 12)} ${c.subject} (spec ${c.spec})`),
  ];
  if (validatorsConfigured) {
    lines.push(
      `Validate them (the result is recorded; then push again):`,
      ...unvalidated.map((c) => `  git spe validate ${c.commit.slice(0, 12)}`),
    );
  } else {
    lines.push(
      "No validators are configured (validate in .spe.config.ts), so nothing can be validated.",
    );
  }
  lines.push("Push once without the check: SPE=0 git push");
  return lines;
}
