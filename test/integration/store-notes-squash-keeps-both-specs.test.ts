import { expect, it } from "vitest";
import { init } from "../../src/commands/init.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { openTestStore, stateJson } from "../helpers/store.ts";

const a = "20250131-first";
const b = "20250131-second";

it("reads both specs after a rebase squashes their base commits into one note", async () => {
  await withGitRepo(async (repo) => {
    await init(testCommandContext(repo.dir), { store: "notes" });
    const first = await repo.commit("first", { "a.txt": "a\n" });
    const second = await repo.commit("second", { "b.txt": "b\n" });
    const store = await openTestStore(repo.dir, "notes");
    await store.write(
      a,
      { "state.json": stateJson(a, "2025-01-31T10:00:00.000Z") },
      { attachTo: first },
    );
    await store.write(
      b,
      { "state.json": stateJson(b, "2025-01-31T11:00:00.000Z") },
      { attachTo: second },
    );

    // notes.rewriteMode defaults to "concatenate": git joins the two JSON notes into one.
    // The todo list's second "pick" becomes "fixup" (portable: no sed -i).
    const editor = `node -e 'const fs = require("fs"); const f = process.argv[1]; fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace(/\\npick/, "\\nfixup"))'`;
    await repo.git(["rebase", "-q", "-i", "HEAD~2"], { env: { GIT_SEQUENCE_EDITOR: editor } });
    const squashed = await repo.git(["rev-parse", "HEAD"]);
    const note = await repo.git(["notes", "--ref=refs/notes/spe", "show", squashed]);
    expect(note.split("\n").filter((line) => line.startsWith("{"))).toHaveLength(2);

    const fresh = await openTestStore(repo.dir, "notes");
    expect((await fresh.list()).map((entry) => entry.id)).toEqual([b, a]);
    expect(await fresh.describe(a)).toBe(`refs/notes/spe on ${squashed}`);
    expect(await fresh.describe(b)).toBe(`refs/notes/spe on ${squashed}`);

    // Writing one of them turns the note back into a single document holding both.
    await fresh.write(a, { "AI-PLAN.md": "# Plan\n" });
    const rewritten = JSON.parse(
      await repo.git(["notes", "--ref=refs/notes/spe", "show", squashed]),
    );
    expect(Object.keys(rewritten.specs).sort()).toEqual([a, b]);
    expect(rewritten.specs[a]["AI-PLAN.md"]).toBe("# Plan\n");
  });
});
