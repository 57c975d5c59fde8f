import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import type { ArtifactName, ArtifactStore } from "../../src/store/types.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { openTestStore, stateJson } from "../helpers/store.ts";

const a = "20250131-add-login";
const b = "20250131-fix-logout";

const files = (id: string, updatedAt: string): Partial<Record<ArtifactName, string>> => ({
  "USER-SPEC.md": `request for ${id}\n`,
  "AI-SPEC.md": `# ${id}\n\n- [ ] "quoted" \\ and ünïcode\n`,
  "state.json": stateJson(id, updatedAt),
});

async function snapshotStore(store: ArtifactStore, ids: string[]) {
  const out: Record<string, unknown> = { list: await store.list() };
  for (const id of ids) {
    for (const name of ["USER-SPEC.md", "AI-SPEC.md", "AI-PLAN.md", "state.json"] as const) {
      out[`${id}/${name}`] = await store.read(id, name);
    }
  }
  return out;
}

async function fillStore(store: ArtifactStore, head: string) {
  await store.write(a, files(a, "2025-01-31T10:00:00.000Z"), { attachTo: head });
  await store.write(b, files(b, "2025-01-31T11:00:00.000Z"), { attachTo: "HEAD" });
  await store.write(a, {
    "AI-PLAN.md": "# Plan\n",
    "state.json": stateJson(a, "2025-01-31T12:00:00.000Z", { phase: "plan" }),
  });
}

const notes = (repo: TestRepo, ...args: string[]) =>
  repo.git(["notes", "--ref=refs/notes/spe", ...args]);

describe("the notes store", () => {
  it("holds the same artifacts as the dir store, in one note on the base commit", async () => {
    await withGitRepo(async (repo) => {
      const head = await repo.git(["rev-parse", "HEAD"]);
      const dirStore = await openTestStore(repo.dir, "dir");
      // A user's own notes ref settings must not redirect the store.
      await repo.git(["config", "core.notesRef", "refs/notes/commits"]);
      process.env.GIT_NOTES_REF = "refs/notes/elsewhere";
      try {
        const notesStore = await openTestStore(repo.dir, "notes");
        await fillStore(dirStore, head);
        await fillStore(notesStore, head);
        expect(notesStore.kind).toBe("notes");
        expect(await snapshotStore(notesStore, [a, b])).toEqual(
          await snapshotStore(dirStore, [a, b]),
        );
        expect((await notesStore.list()).map((entry) => entry.id)).toEqual([a, b]);
        expect(await notesStore.describe(a)).toBe(`refs/notes/spe on ${head}`);
      } finally {
        delete process.env.GIT_NOTES_REF;
      }

      // Both specs share HEAD's note; git shows it.
      expect(await notes(repo, "list")).toBe(`${await notes(repo, "list", head)} ${head}`);
      const shown = JSON.parse(await notes(repo, "show", head));
      expect(shown.spe).toBe("notes/v1");
      expect(Object.keys(shown.specs).sort()).toEqual([a, b]);
      expect(shown.specs[a]["AI-PLAN.md"]).toBe("# Plan\n");
      expect(shown.specs[b]["AI-SPEC.md"]).toBe(files(b, "")["AI-SPEC.md"]);
      expect(
        await repo.gitRaw(["rev-parse", "-q", "--verify", "refs/notes/elsewhere"]),
      ).toMatchObject({
        exitCode: 1,
      });

      // Every write is a commit on the notes ref, so earlier versions stay reachable.
      expect(await repo.git(["rev-list", "--count", "refs/notes/spe"])).toBe("3");
      const first = await repo.git(["rev-list", "--reverse", "refs/notes/spe"]);
      const firstNote = await repo.git(["cat-file", "-p", `${first.split("\n")[0]}:${head}`]);
      expect(Object.keys(JSON.parse(firstNote).specs)).toEqual([a]);
      // The user's index and work tree are untouched (.spe/ is the dir store's).
      expect(await repo.git(["status", "--porcelain"])).toBe("?? .spe/");
    });
  });

  it("attaches new specs to the commit given, and keeps specs on other commits apart", async () => {
    await withGitRepo(async (repo) => {
      const first = await repo.git(["rev-parse", "HEAD"]);
      const second = await repo.commit("second", { "b.txt": "b\n" });
      const store = await openTestStore(repo.dir, "notes");
      await store.write(a, files(a, "2025-01-31T10:00:00.000Z"), { attachTo: first });
      await store.write(b, files(b, "2025-01-31T11:00:00.000Z"), { attachTo: second });
      // attachTo is ignored once the spec exists.
      await store.write(a, { "AI-PLAN.md": "plan\n" }, { attachTo: second });
      expect(await store.describe(a)).toBe(`refs/notes/spe on ${first}`);
      expect(await store.describe(b)).toBe(`refs/notes/spe on ${second}`);
      expect(Object.keys(JSON.parse(await notes(repo, "show", first)).specs)).toEqual([a]);
      expect(await store.read(a, "AI-PLAN.md")).toBe("plan\n");
    });
  });

  it("needs a commit to attach a new spec to", async () => {
    await withGitRepo(
      async (repo) => {
        const store = await openTestStore(repo.dir, "notes");
        expect(await store.list()).toEqual([]);
        for (const attachTo of [undefined, "HEAD", "-x"]) {
          const error = await store
            .write(a, files(a, "2025-01-31T10:00:00.000Z"), attachTo ? { attachTo } : {})
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(SpeError);
          expect((error as SpeError).exitCode).toBe(2);
          expect((error as SpeError).message).toMatch(
            /needs a commit to attach .*make a first commit or use store: dir/,
          );
        }
        await expect(store.write("../x", {})).rejects.toThrow(/invalid spec id/);
        expect(await repo.gitRaw(["rev-parse", "--verify", "refs/notes/spe"])).toMatchObject({
          exitCode: 128,
        });
      },
      { initialCommit: false },
    );
  });
});
