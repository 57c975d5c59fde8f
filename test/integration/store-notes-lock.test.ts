import fs from "node:fs/promises";
import os from "node:os";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { openTestStore, stateJson } from "../helpers/store.ts";

const id = "20250131-add-login";
const spec = (updatedAt: string) => ({
  "AI-SPEC.md": "# Add login\n",
  "state.json": stateJson(id, updatedAt),
});

async function deadPid(): Promise<number> {
  const child = execa("node", ["-e", ""]);
  await child;
  return child.pid as number;
}

describe("the notes lock", () => {
  it("takes over a lock left by a dead process, or an old empty one", async () => {
    await withGitRepo(async (repo) => {
      const lock = repo.path(".git", "spe", "notes.lock");
      await fs.mkdir(repo.path(".git", "spe"));
      await fs.writeFile(lock, `${await deadPid()}\n${os.hostname()}\nold-token\n`);
      const store = await openTestStore(repo.dir, "notes", { timeoutMs: 2_000 });
      await store.write(id, spec("2025-01-31T10:00:00.000Z"), { attachTo: "HEAD" });
      await expect(fs.access(lock)).rejects.toThrow();

      await fs.writeFile(lock, "");
      const past = new Date(Date.now() - 60_000);
      await fs.utimes(lock, past, past);
      await store.write(id, { "AI-PLAN.md": "# Plan\n" });
      expect(await store.read(id, "AI-PLAN.md")).toBe("# Plan\n");
      await expect(fs.access(lock)).rejects.toThrow();
    });
  });

  it("waits for a live holder and then fails with exit 1, naming the lock file", async () => {
    await withGitRepo(async (repo) => {
      const lock = repo.path(".git", "spe", "notes.lock");
      await fs.mkdir(repo.path(".git", "spe"));
      const holder = execa("node", ["-e", "setTimeout(() => {}, 60000)"]);
      try {
        await fs.writeFile(lock, `${holder.pid}\n${os.hostname()}\nits-token\n`);
        const store = await openTestStore(repo.dir, "notes", { timeoutMs: 400 });
        const started = Date.now();
        const error = await store
          .write(id, spec("2025-01-31T10:00:00.000Z"), { attachTo: "HEAD" })
          .catch((e: unknown) => e);
        expect(Date.now() - started).toBeGreaterThanOrEqual(400);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toContain(lock);
        expect((error as SpeError).message).toContain(`pid ${holder.pid}`);
        expect((error as SpeError).hints.join("\n")).toContain("remove the lock");
        // Nothing was written, and the holder's lock is still there.
        expect(await repo.gitRaw(["rev-parse", "-q", "--verify", "refs/notes/spe"])).toMatchObject({
          exitCode: 1,
        });
        expect(await fs.readFile(lock, "utf8")).toContain("its-token");
      } finally {
        holder.kill();
        await holder.catch(() => undefined);
      }
      // Once the holder is gone its lock is stale and the next writer takes it over.
      const store = await openTestStore(repo.dir, "notes", { timeoutMs: 2_000 });
      await store.write(id, spec("2025-01-31T10:00:00.000Z"), { attachTo: "HEAD" });
      expect((await store.list()).map((entry) => entry.id)).toEqual([id]);
    });
  });

  it("loses no update to a plain git notes command that ignores the lock", async () => {
    await withGitRepo(async (repo) => {
      const first = await repo.git(["rev-parse", "HEAD"]);
      const second = await repo.commit("second");
      let raced = 0;
      const store = await openTestStore(repo.dir, "notes", {
        // Between our read and our ref update, someone else changes refs/notes/spe.
        beforeUpdate: async () => {
          if (raced++ > 0) return;
          await repo.git(["notes", "--ref=refs/notes/spe", "add", "-m", "a plain note", second]);
        },
      });
      await store.write(id, spec("2025-01-31T10:00:00.000Z"), { attachTo: first });
      expect(raced).toBe(2); // the first update was refused, the write was redone
      expect(await repo.git(["notes", "--ref=refs/notes/spe", "show", second])).toBe(
        "a plain note",
      );
      expect(await store.read(id, "AI-SPEC.md")).toBe("# Add login\n");
      expect(await repo.git(["rev-list", "--count", "refs/notes/spe"])).toBe("2");
    });
  });
});
