import fs from "node:fs/promises";
import { expect, it } from "vitest";
import { withGitRepo } from "../helpers/git-repo.ts";
import { openTestStore, stateJson } from "../helpers/store.ts";

const id = "20250131-from-worktree";

it("shares the notes store between worktrees and keeps the dir store per work tree", async () => {
  await withGitRepo(async (repo) => {
    const linked = `${repo.dir}-linked`;
    await repo.git(["worktree", "add", "-q", "-b", "side", linked]);
    try {
      const files = {
        "AI-SPEC.md": "# From the worktree\n",
        "state.json": stateJson(id, "2025-01-31"),
      };
      await (await openTestStore(linked, "notes")).write(id, files, { attachTo: "HEAD" });
      await (await openTestStore(linked, "dir")).write(id, files);

      const fromMain = await openTestStore(repo.dir, "notes");
      expect(await fromMain.read(id, "AI-SPEC.md")).toBe("# From the worktree\n");
      // The lock and temp files live in the common git dir, and are gone afterwards.
      expect(await fs.readdir(repo.path(".git", "spe"))).toEqual([]);
      expect(await fs.readFile(`${linked}/.spe/${id}/AI-SPEC.md`, "utf8")).toBe(
        files["AI-SPEC.md"],
      );
      expect(await (await openTestStore(repo.dir, "dir")).list()).toEqual([]);
    } finally {
      await fs.rm(linked, { recursive: true, force: true });
    }
  });
});
