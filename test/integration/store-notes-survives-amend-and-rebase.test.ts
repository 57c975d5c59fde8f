import { expect, it } from "vitest";
import { init } from "../../src/commands/init.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { openTestStore, stateJson } from "../helpers/store.ts";

const id = "20250131-add-login";

it("keeps a spec through git commit --amend and a rebase of its base commit", async () => {
  await withGitRepo(async (repo) => {
    const root = await repo.git(["rev-parse", "HEAD"]);
    await init(testCommandContext(repo.dir), { store: "notes" });
    const base = await repo.commit("base of the spec", { "app.txt": "v1\n" });
    const store = await openTestStore(repo.dir, "notes");
    await store.write(
      id,
      {
        "AI-SPEC.md": "# Add login\n",
        "state.json": stateJson(id, "2025-01-31T10:00:00.000Z", { base }),
      },
      { attachTo: base },
    );

    await repo.git(["commit", "-q", "--amend", "-m", "base of the spec, amended"]);
    const amended = await repo.git(["rev-parse", "HEAD"]);
    expect(amended).not.toBe(base);

    await repo.git(["switch", "-q", "-c", "upstream", root]);
    await repo.commit("upstream work", { "other.txt": "upstream\n" });
    await repo.git(["switch", "-q", "main"]);
    await repo.git(["rebase", "-q", "upstream"]);
    const rebased = await repo.git(["rev-parse", "HEAD"]);
    expect(await repo.git(["rev-parse", "HEAD~1"])).toBe(await repo.git(["rev-parse", "upstream"]));

    // git copied the note to each rewritten commit: three copies of the same spec.
    const annotated = (await repo.git(["notes", "--ref=refs/notes/spe", "list"]))
      .split("\n")
      .map((line) => line.split(" ")[1])
      .sort();
    expect(annotated).toEqual([base, amended, rebased].sort());

    // The store sees one spec with its artifacts, on the commit that is still on a branch.
    const listed = await store.list();
    expect(listed.map((entry) => entry.id)).toEqual([id]);
    expect(await store.read(id, "AI-SPEC.md")).toBe("# Add login\n");
    expect(await store.describe(id)).toBe(`refs/notes/spe on ${rebased}`);

    // A later write lands on that copy, and wins over the stale ones.
    await store.write(id, {
      "AI-PLAN.md": "# Plan\n",
      "state.json": stateJson(id, "2025-02-01T00:00:00.000Z", { base, phase: "plan" }),
    });
    expect((await store.list()).map((entry) => [entry.id, entry.state.phase])).toEqual([
      [id, "plan"],
    ]);
    expect(await store.read(id, "AI-PLAN.md")).toBe("# Plan\n");
    expect(await store.read(id, "AI-SPEC.md")).toBe("# Add login\n");
    const onRebased = JSON.parse(
      await repo.git(["notes", "--ref=refs/notes/spe", "show", rebased]),
    );
    expect(onRebased.specs[id]["AI-PLAN.md"]).toBe("# Plan\n");
    const onBase = JSON.parse(await repo.git(["notes", "--ref=refs/notes/spe", "show", base]));
    expect(onBase.specs[id]["AI-PLAN.md"]).toBeUndefined();

    // A fresh store (another process) sees the same.
    const again = await openTestStore(repo.dir, "notes");
    expect(await again.read(id, "AI-PLAN.md")).toBe("# Plan\n");
  });
});
