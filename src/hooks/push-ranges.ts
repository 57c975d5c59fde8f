/**
 * What a push sends, from pre-push's stdin: one line per ref, `<local ref> <local oid> <remote
 * ref> <remote oid>`. A zero local oid deletes the remote ref; a zero remote oid creates it.
 * Empty input (an up-to-date push) means nothing is sent. Pure.
 */

export interface RefUpdate {
  localRef: string;
  localOid: string;
  remoteRef: string;
  remoteOid: string;
}

const zero = /^0+$/;

export function parsePushInput(input: string): RefUpdate[] {
  return input
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const [localRef = "", localOid = "", remoteRef = "", remoteOid = ""] = line.split(" ");
      return { localRef, localOid, remoteRef, remoteOid };
    });
}

export const isDelete = (update: RefUpdate) => zero.test(update.localOid);
export const isCreate = (update: RefUpdate) => zero.test(update.remoteOid);
/** Notes travel with a push but carry no code to check. */
export const isNotes = (update: RefUpdate) => update.remoteRef.startsWith("refs/notes/");
