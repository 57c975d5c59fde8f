/** Reading many blobs with one git process. */
import type { Git } from "./exec.ts";

/** The text of each blob, by id (`cat-file --batch`, one process for all of them). */
export async function readBlobs(git: Git, oids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(oids)];
  const texts = new Map<string, string>();
  if (wanted.length === 0) return texts;
  const { stdout } = await git.runBuffer(["cat-file", "--batch"], {
    input: wanted.join("\n") + "\n",
  });
  const bytes = Buffer.from(stdout);
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf(10, at);
    if (end < 0) break;
    const [oid = "", type = "", size = ""] = bytes.toString("utf8", at, end).split(" ");
    at = end + 1;
    if (type === "missing") continue;
    const length = Number(size);
    if (type === "blob") texts.set(oid, bytes.toString("utf8", at, at + length));
    at += length + 1;
  }
  return texts;
}
