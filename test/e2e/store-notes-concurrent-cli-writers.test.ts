/**
 * Eight `git spe spec` processes at once on the notes store, all attaching to the same commit:
 * a read-modify-write race on one note and on refs/notes/spe. The notes lock serializes them, so
 * every spec lands (one notes commit each, in one line of history), each reads back intact, and
 * no lock or temporary index is left. (test/integration/store-notes-concurrent-writers.test.ts
 * races two writer processes through the store API; this goes through the CLI.)
 */
import fs from "node:fs/promises";
import { expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, specAnswer } from "../helpers/phase-fixtures.ts";

const writers = 8;

it(`lands every spec of ${writers} concurrent git spe spec processes`, async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("config", { ".sperc.json": JSON.stringify({ store: "notes" }) });
      const head = await makeProject(repo);
      // A barrier: no writer gets its answer before all have asked, so the writes coincide.
      let arrived = 0;
      let allArrived!: () => void;
      const barrier = new Promise<void>((resolve) => (allArrived = resolve));
      server.handle("gemini", async (request) => {
        if (++arrived === writers) allArrived();
        await barrier;
        const n = /writer number (\d+)/.exec(request.rawBody)?.[1] ?? "?";
        return mockReply.text(JSON.stringify({ ...specAnswer, title: `Writer ${n}` }));
      });
      const env = geminiEnv(server.geminiBaseUrl);
      const ids = Array.from({ length: writers }, (_, i) => `20261121-writer-${i + 1}`);

      const results = await Promise.all(
        ids.map((id, i) =>
          runCli(["spec", `add square, writer number ${i + 1}`, "--id", id, "--json"], {
            cwd: repo.dir,
            env,
          }),
        ),
      );
      for (const [i, result] of results.entries()) {
        expect(result.exitCode, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ id: ids[i] });
      }

      const listed = JSON.parse((await runCli(["status", "--json"], { cwd: repo.dir })).stdout) as {
        specs: { id: string; title: string }[];
      };
      expect(listed.specs.map((s) => s.id).sort()).toEqual([...ids].sort());
      for (const spec of listed.specs)
        expect(spec.title).toBe(`Writer ${spec.id.replace(/^.*-/, "")}`);
      const note = await repo.git(["notes", "--ref=refs/notes/spe", "show", head]);
      for (const id of ids) expect(note).toContain(`# Writer ${id.replace(/^.*-/, "")}`);
      expect(await repo.git(["rev-list", "--count", "refs/notes/spe"])).toBe(String(writers));
      expect(await repo.git(["rev-list", "--merges", "--count", "refs/notes/spe"])).toBe("0");
      // The lock is released; nothing but the context token cache is left under .git/spe.
      expect(await fs.readdir(repo.path(".git", "spe"))).toEqual(["cache"]);
      expect(await repo.exists(".spe")).toBe(false);
    });
  });
});
