import fs from "node:fs/promises";
import { execa } from "execa";
import { expect, it } from "vitest";
import { projectRoot, withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { openTestStore } from "../helpers/store.ts";

const writer = `${projectRoot}/test/helpers/store-writer.ts`;
const perWriter = 6;

function startWriter(repo: TestRepo, prefix: string, attachTo: string) {
  return execa("node", ["--import", "tsx", writer, repo.dir, prefix, String(perWriter), attachTo], {
    cwd: projectRoot,
    reject: false,
  });
}

// Ten rounds of two processes each: about 25 s on a busy 2-core machine, so more than the 30 s
// default is needed when the rest of the suite runs beside it.
it(
  "lands every spec of two writer processes racing on the same note",
  { timeout: 90_000 },
  async () => {
    await withGitRepo(async (repo) => {
      const head = await repo.git(["rev-parse", "HEAD"]);
      const expected: string[] = [];
      for (const round of [1, 2, 3, 4]) {
        // Rounds 1–3 share HEAD's note (a read-modify-write race on one blob); round 4 writes two
        // different commits' notes (a race on the ref only).
        const other = round === 4 ? await repo.commit(`round ${round}`) : head;
        const results = await Promise.all([
          startWriter(repo, `r${round}-a`, head),
          startWriter(repo, `r${round}-b`, other),
        ]);
        for (const result of results) {
          expect(result.stderr).toBe("");
          expect(result.exitCode).toBe(0);
          expect(result.stdout.split("\n")).toHaveLength(perWriter);
        }
        for (const side of ["a", "b"]) {
          for (let i = 1; i <= perWriter; i++) expected.push(`r${round}-${side}-${i}`);
        }
      }

      const store = await openTestStore(repo.dir, "notes");
      const listed = (await store.list()).map((entry) => entry.id);
      expect(listed.sort()).toEqual(expected.sort());
      for (const id of expected) expect(await store.read(id, "AI-SPEC.md")).toBe(`# ${id}\n`);
      // One notes commit per write, in one line of history: nothing was overwritten.
      expect(await repo.git(["rev-list", "--count", "refs/notes/spe"])).toBe(
        String(expected.length),
      );
      // The lock is released and no temp index is left behind.
      expect(await fs.readdir(repo.path(".git", "spe"))).toEqual([]);
    });
  },
);
