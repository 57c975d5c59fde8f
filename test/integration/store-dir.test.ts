import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { InternalError, SpeError } from "../../src/errors.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { openTestStore, stateJson } from "../helpers/store.ts";

const id = "20250131-add-login";

describe("the dir store", () => {
  it("writes, reads, lists and describes specs under .spe/<id>/", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".spe/.gitignore", "/*/runs/\n*.lock\n*.tmp\n");
      await repo.write("sub/dir/file.txt", "x\n");
      // Opened from a subdirectory: the store is at the work tree root all the same.
      const store = await openTestStore(repo.path("sub/dir"), "dir");
      expect(store.kind).toBe("dir");
      expect(await store.list()).toEqual([]);
      expect(await store.read(id, "AI-SPEC.md")).toBeUndefined();

      await store.write(id, {
        "USER-SPEC.md": "add a login form\n",
        "AI-SPEC.md": "# Add login\n",
        "state.json": stateJson(id, "2025-01-31T10:00:00.000Z"),
      });
      await store.write("20250201-other", {
        "state.json": stateJson("20250201-other", "2025-02-01T10:00:00.000Z"),
      });
      expect(await repo.read(`.spe/${id}/AI-SPEC.md`)).toBe("# Add login\n");
      expect(await store.read(id, "USER-SPEC.md")).toBe("add a login form\n");
      expect(await store.read(id, "AI-PLAN.md")).toBeUndefined();
      expect(await store.describe(id)).toBe(repo.path(".spe", id));

      // A later write of some files keeps the others; list is newest first.
      await store.write(id, {
        "AI-PLAN.md": "# Plan\n",
        "state.json": stateJson(id, "2025-02-02T00:00:00.000Z", { phase: "plan" }),
      });
      expect(await store.read(id, "AI-SPEC.md")).toBe("# Add login\n");
      const listed = await store.list();
      expect(listed.map((entry) => [entry.id, entry.state.phase])).toEqual([
        [id, "plan"],
        ["20250201-other", "spec"],
      ]);

      // No temp files are left; git sees exactly the spec files.
      const status = await repo.git(["status", "--porcelain", "-uall", "--", ".spe"]);
      expect(status.split("\n").sort()).toEqual([
        "?? .spe/.gitignore",
        "?? .spe/20250131-add-login/AI-PLAN.md",
        "?? .spe/20250131-add-login/AI-SPEC.md",
        "?? .spe/20250131-add-login/USER-SPEC.md",
        "?? .spe/20250131-add-login/state.json",
        "?? .spe/20250201-other/state.json",
      ]);
      expect((await fs.readdir(repo.path(".spe", id))).filter((f) => f.endsWith(".tmp"))).toEqual(
        [],
      );
    });
  });

  it("needs state.json for a new spec, and skips directories without a valid one", async () => {
    await withGitRepo(async (repo) => {
      const store = await openTestStore(repo.dir, "dir");
      await expect(store.write(id, { "AI-SPEC.md": "x" })).rejects.toThrow(InternalError);
      await expect(
        store.write(id, { "state.json": stateJson("other-id", "2025-01-01") }),
      ).rejects.toThrow(/state\.json/);
      expect(await repo.exists(`.spe/${id}`)).toBe(false);
      await repo.write(".spe/half-written/AI-SPEC.md", "no state yet\n");
      await repo.write(".spe/broken/state.json", "{ not json");
      await repo.write(".spe/Not-An-Id/state.json", stateJson("Not-An-Id", "2025-01-01"));
      await repo.write(".spe/.gitignore", "/*/runs/\n");
      expect(await store.list()).toEqual([]);
    });
  });

  it("refuses hostile ids and symlinked spec directories", async () => {
    await withGitRepo(async (repo) => {
      const store = await openTestStore(repo.dir, "dir");
      const state = stateJson("x", "2025-01-01");
      for (const hostile of ["../escape", "-rf", "a/b", "/tmp/x", ".git", "x\ny", "UPPER"]) {
        await expect(store.write(hostile, { "state.json": state })).rejects.toSatisfy(
          (error) => error instanceof SpeError && error.exitCode === 2,
        );
        await expect(store.read(hostile, "state.json")).rejects.toThrow(SpeError);
        await expect(store.describe(hostile)).rejects.toThrow(SpeError);
      }
      expect(await repo.exists("escape")).toBe(false);

      const outside = repo.path("outside");
      await fs.mkdir(outside);
      await fs.mkdir(repo.path(".spe"));
      await fs.symlink(outside, repo.path(".spe", "linked"));
      await expect(
        store.write("linked", { "state.json": stateJson("linked", "2025-01-01") }),
      ).rejects.toThrow(/not a directory/);
      expect(await fs.readdir(outside)).toEqual([]);
      await fs.mkdir(repo.path(".spe", "leak"));
      await fs.symlink(repo.path("README.md"), repo.path(".spe", "leak", "AI-SPEC.md"));
      await expect(store.read("leak", "AI-SPEC.md")).rejects.toThrow(/symlink/);
    });
  });
});
