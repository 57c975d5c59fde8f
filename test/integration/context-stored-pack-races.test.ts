/**
 * Stored packs and changes made while a pack runs: the stat data recorded for a pack must be
 * taken no later than what it vouches for, so a change during the pack makes it racy (not
 * stored). The recorder is driven here the way packContext drives it (the reader's verdict,
 * then the change, then finish), on real files; a pack that cannot be vouched for is not stored.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { racyMarginMs, StatRecorder } from "../../src/context/stat-rows.ts";
import { pack } from "../helpers/context.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";

const settle = () => new Promise((resolve) => setTimeout(resolve, racyMarginMs + 100));

describe("context: stored packs and changes during a pack", () => {
  it("is racy when a directory is moved in after the reader found its file missing", async () => {
    await withTempDir(async (tmp) => {
      const root = path.join(tmp, "work");
      const store = path.join(tmp, "store");
      await fs.mkdir(path.join(root, "d"), { recursive: true });
      await fs.writeFile(path.join(root, "keep.ts"), "export const k = 1;\n");
      await fs.writeFile(path.join(root, "d", "f.ts"), "export const f = 'new';\n");
      const elsewhere = path.join(tmp, "elsewhere");
      await fs.rename(path.join(root, "d"), elsewhere);
      await settle();

      const quiet = new StatRecorder(root, store, ["d/f.ts", "keep.ts"]);
      quiet.recordUnopened(0); // the reader: d/f.ts is deleted
      quiet.recordUnopened(1);
      expect(quiet.finish().racy).toBe(false); // nothing moved: storable as "deleted"

      const recorder = new StatRecorder(root, store, ["d/f.ts", "keep.ts"]);
      recorder.recordUnopened(0);
      await fs.rename(elsewhere, path.join(root, "d")); // …and now it is there
      recorder.recordUnopened(1);
      expect(recorder.finish().racy).toBe(true);
    });
  });

  it("is racy when a symlinked directory is replaced by a real one during the pack", async () => {
    await withTempDir(async (tmp) => {
      const root = path.join(tmp, "work");
      await fs.mkdir(path.join(root, "src-real"), { recursive: true });
      await fs.writeFile(path.join(root, "src-real", "a.ts"), "export const a = 1;\n");
      await fs.symlink("src-real", path.join(root, "src"));
      await settle();

      const recorder = new StatRecorder(root, path.join(tmp, "store"), ["src/a.ts"]);
      recorder.recordUnopened(0); // the reader: inside a symlinked directory
      await fs.rm(path.join(root, "src"));
      await fs.rename(path.join(root, "src-real"), path.join(root, "src"));
      expect(recorder.finish().racy).toBe(true);
    });
  });

  it("is racy when a file or a directory changed within the margin before the start", async () => {
    await withTempDir(async (tmp) => {
      const root = path.join(tmp, "work");
      await fs.mkdir(path.join(root, "d"), { recursive: true });
      await fs.writeFile(path.join(root, "d", "f.ts"), "old\n");
      await settle();
      const clean = new StatRecorder(root, path.join(tmp, "store"), ["d/f.ts"]);
      clean.record(0, await fs.lstat(path.join(root, "d", "f.ts")));
      expect(clean.finish().racy).toBe(false);

      await fs.writeFile(path.join(root, "d", "other.ts"), "x\n"); // d changed just now
      const fresh = new StatRecorder(root, path.join(tmp, "store"), ["d/f.ts"]);
      fresh.record(0, await fs.lstat(path.join(root, "d", "f.ts")));
      expect(fresh.finish().racy).toBe(true);
    });
  });

  it("does not store a pack with an unreadable file", async () => {
    await withGitRepo(async (repo) => {
      const latin1 = Buffer.concat([Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from(".txt")]);
      await fs.writeFile(Buffer.concat([Buffer.from(`${repo.dir}/`), latin1]), "latin-1 name\n");
      await repo.git(["add", "-A"]);
      await repo.git(["commit", "-q", "-m", "a Latin-1 name"]);
      await settle();
      for (let i = 0; i < 3; i++) {
        const result = await pack(repo, { format: "xml" });
        expect(result.stats.reused).toBe(false);
        expect(result.skipped.map((s) => s.reason)).toEqual(["unreadable"]);
      }
      const names = await fs.readdir(repo.path(".git", "spe", "cache", "packs"));
      expect(names.filter((n) => n.endsWith(".pack"))).toEqual([]);
    });
  });
});
