import fs from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { notesPull, notesPush } from "../../src/commands/notes.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { createGitRepo, openTestRepo, withTempDir, type TestRepo } from "../helpers/git-repo.ts";
import { openTestStore, stateJson } from "../helpers/store.ts";

const spec = (id: string, text: string, updatedAt: string) => ({
  "AI-SPEC.md": `${text}\n`,
  "state.json": stateJson(id, updatedAt),
});

async function write(repo: TestRepo, id: string, text: string, updatedAt: string) {
  const store = await openTestStore(repo.dir, "notes");
  await store.write(id, spec(id, text, updatedAt), { attachTo: "HEAD" });
}

async function contents(repo: TestRepo): Promise<Record<string, string | undefined>> {
  const store = await openTestStore(repo.dir, "notes");
  const out: Record<string, string | undefined> = {};
  for (const entry of await store.list()) out[entry.id] = await store.read(entry.id, "AI-SPEC.md");
  return out;
}

it("pushes and pulls refs/notes/spe between two clones without losing either side", async () => {
  await withTempDir(async (tmp) => {
    const bare = openTestRepo(path.join(tmp, "remote.git"));
    await bare.git(["init", "-q", "--bare", "-b", "main", bare.dir], { cwd: tmp });
    const a = await createGitRepo();
    const b = openTestRepo(path.join(tmp, "b"));
    try {
      await a.git(["remote", "add", "origin", bare.dir]);
      await a.git(["push", "-q", "-u", "origin", "main"]);
      await b.git(["clone", "-q", bare.dir, b.dir], { cwd: tmp });
      const ctxA = testCommandContext(a.dir);
      const ctxB = testCommandContext(b.dir);

      expect(await notesPull(ctxB)).toMatchObject({ remote: "origin", action: "no-remote-notes" });
      expect(await notesPush(ctxB)).toMatchObject({ action: "nothing-to-push" });

      await write(a, "both-b-newer", "A, first", "2025-01-01T00:00:00.000Z");
      await write(a, "both-a-newer", "A, first", "2025-01-01T00:00:00.000Z");
      expect(await notesPush(ctxA)).toMatchObject({ action: "pushed" });
      expect(await notesPull(ctxB)).toMatchObject({ action: "created" });

      // Both sides edit, on the same commit's note and on a commit only A has.
      await write(b, "both-b-newer", "B, newest", "2025-01-03T00:00:00.000Z");
      await write(b, "both-a-newer", "B, older", "2025-01-02T00:00:00.000Z");
      await write(b, "only-b", "B only", "2025-01-02T00:00:00.000Z");
      await write(a, "both-b-newer", "A, older", "2025-01-02T00:00:00.000Z");
      await write(a, "both-a-newer", "A, newest", "2025-01-03T00:00:00.000Z");
      await a.commit("a commit only A has");
      await write(a, "only-a", "A only", "2025-01-02T00:00:00.000Z");

      expect(await notesPush(ctxB, "origin")).toMatchObject({ action: "pushed" });
      // A's push is rejected, so A merges B's notes and pushes the merge.
      const pushA = await notesPush(ctxA);
      expect(pushA).toMatchObject({
        action: "pulled-and-pushed",
        pull: { action: "merged", mergedNotes: 1 },
      });
      expect(ctxA.log.lines.at(-1)?.text).toMatch(/^origin had new notes: merged origin's/);
      const expected = {
        "both-b-newer": "B, newest\n",
        "both-a-newer": "A, newest\n",
        "only-a": "A only\n",
        "only-b": "B only\n",
      };
      expect(await contents(a)).toEqual(expected);

      const remoteNotes = await bare.git(["rev-parse", "refs/notes/spe"]);
      expect(remoteNotes).toBe(await a.git(["rev-parse", "refs/notes/spe"]));
      // The merge keeps both histories: two parents, every earlier blob still reachable.
      expect(
        (await bare.git(["rev-list", "--parents", "-1", remoteNotes])).split(" "),
      ).toHaveLength(3);

      expect(await notesPull(ctxB)).toMatchObject({ action: "fast-forward", after: remoteNotes });
      expect(await contents(b)).toEqual(expected);
      expect(await notesPush(ctxB)).toMatchObject({ action: "up-to-date" });
      expect(ctxB.log.lines.at(-1)?.text).toBe(
        "origin's refs/notes/spe is up to date: nothing to push",
      );
      expect(await notesPull(ctxA)).toMatchObject({ action: "up-to-date" });

      // A second push fast-forwards the remote.
      await write(b, "later-b", "B later", "2025-01-04T00:00:00.000Z");
      expect(await notesPush(ctxB)).toMatchObject({ action: "pushed" });
      const afterSecond = await bare.git(["rev-parse", "refs/notes/spe"]);
      expect(await bare.git(["rev-parse", `${afterSecond}^`])).toBe(remoteNotes);
      expect(await notesPull(ctxA)).toMatchObject({ action: "fast-forward" });
      expect(Object.keys(await contents(a)).sort()).toEqual(
        [...Object.keys(expected), "later-b"].sort(),
      );

      // A remote that looks like an option is refused before git sees it.
      const error = await notesPull(ctxA, "--upload-pack=touch pwned").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpeError);
      expect((error as SpeError).exitCode).toBe(2);
      await expect(notesPush(ctxA, "no-such-remote")).rejects.toThrow(
        /cannot push to no-such-remote/,
      );
    } finally {
      await fs.rm(a.dir, { recursive: true, force: true });
    }
  });
});

it("a push that loses the race to another push (the remote's ref moved under it) merges and pushes again", async () => {
  await withTempDir(async (tmp) => {
    const bare = openTestRepo(path.join(tmp, "remote.git"));
    await bare.git(["init", "-q", "--bare", "-b", "main", bare.dir], { cwd: tmp });
    const a = await createGitRepo();
    const b = openTestRepo(path.join(tmp, "b"));
    try {
      await a.git(["remote", "add", "origin", bare.dir]);
      await a.git(["push", "-q", "-u", "origin", "main"]);
      await b.git(["clone", "-q", bare.dir, b.dir], { cwd: tmp });
      // B's two later notes commits wait on the remote under refs/pending/; the remote's
      // pre-receive hook moves refs/notes/spe to the next one while A's push is in flight, as
      // another CI job's push landing at that moment would. receive-pack then refuses A's update
      // with "[remote rejected] (failed to update ref)".
      for (const n of [1, 2]) {
        await write(b, `from-b-${n}`, `B ${n}`, "2025-01-02T00:00:00.000Z");
        await b.git(["push", "-q", "origin", `refs/notes/spe:refs/pending/${n}`]);
      }
      const hook = path.join(bare.dir, "hooks", "pre-receive");
      await fs.writeFile(
        hook,
        [
          "#!/bin/sh",
          "unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES",
          "n=$(( $(cat races 2>/dev/null || echo 0) + 1 )); echo $n > races",
          'git rev-parse -q --verify "refs/pending/$n" >/dev/null || exit 0',
          'git update-ref refs/notes/spe "refs/pending/$n"',
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      await write(a, "from-a", "A", "2025-01-02T00:00:00.000Z");
      const ctxA = testCommandContext(a.dir);
      expect(await notesPush(ctxA)).toMatchObject({ action: "pulled-and-pushed" });
      expect(await fs.readFile(path.join(bare.dir, "races"), "utf8")).toBe("3\n");
      expect(await bare.git(["rev-parse", "refs/notes/spe"])).toBe(
        await a.git(["rev-parse", "refs/notes/spe"]),
      );
      expect(await contents(a)).toEqual({
        "from-a": "A\n",
        "from-b-1": "B 1\n",
        "from-b-2": "B 2\n",
      });

      // A remote whose ref moves under every push: git spe gives up with a clear error.
      await fs.writeFile(
        hook,
        [
          "#!/bin/sh",
          "unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES",
          "git update-ref refs/notes/spe \"$(git commit-tree -p refs/notes/spe -m race 'refs/notes/spe^{tree}')\"",
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      await write(a, "from-a-again", "A again", "2025-01-03T00:00:00.000Z");
      await expect(notesPush(ctxA)).rejects.toThrow(/refs\/notes\/spe changed again/);
    } finally {
      await fs.rm(a.dir, { recursive: true, force: true });
    }
  });
});
