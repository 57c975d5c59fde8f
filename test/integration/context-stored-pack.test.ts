/**
 * Stored packs (src/context/stored-pack.ts): the third pack of an unchanged selection is the
 * stored document, equal to a built one in every respect; any change to a selected file, to a
 * directory on its way, to the selection or to the options builds it again.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { pack, paths, skippedAs, type PackOptions } from "../helpers/context.ts";
import { openTestRepo, withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { racyMarginMs } from "../../src/context/stat-rows.ts";

const execFileAsync = promisify(execFile);
const accessKeyId = "AKIA4HTXQ7Z2KR5VLMNP";
const secretKey = "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";

const packsDir = (repo: TestRepo) => repo.path(".git", "spe", "cache", "packs");
async function storedPacks(repo: TestRepo): Promise<string[]> {
  const names = await fs.readdir(packsDir(repo)).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith(".pack"));
}

/**
 * Files changed less than two seconds before a pack are racily clean (their stat data cannot
 * vouch for them yet): a pack of them is not stored. Wait that long after writing them.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, racyMarginMs + 100));

/** First request (leaves a mark), second (stores), third (reuses, if nothing changed). */
async function packThrice(repo: TestRepo, options: PackOptions) {
  const built = await pack(repo, options);
  const stored = await pack(repo, options);
  const reused = await pack(repo, options);
  return { built, stored, reused };
}

async function commitSample(repo: TestRepo): Promise<void> {
  await repo.commit("sample", {
    "src/a.ts": "// the answer\nexport const a = 42; /* inline */\n",
    "dir with space/ünï.md": "# notes\n\nsome text\n",
    "bom.txt": "\uFEFFstarts with a byte order mark\n",
    "bom2.txt": "\uFEFF\uFEFFtwo marks: the second is text\n",
    "config/aws credentials": `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretKey}\n`,
  });
  await repo.write("logo.bin", Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]));
  await repo.git(["add", "logo.bin"]);
  await repo.git(["commit", "-q", "-m", "binary"]);
  await settle();
}

describe("context: stored packs", () => {
  it("reuses the third pack of an unchanged selection, equal to the built one, in every format", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      for (const format of ["xml", "markdown", "json"] as const) {
        for (const removeComments of [false, true]) {
          const { built, stored, reused } = await packThrice(repo, { format, removeComments });
          expect(built.stats.reused).toBe(false);
          expect(stored.stats.reused).toBe(false);
          expect(reused.stats).toMatchObject({ reused: true, read: 0, tokenized: 0, scanned: 0 });
          expect(reused.output).toBe(built.output);
          expect(Buffer.concat(reused.chunks.map((c) => Buffer.from(c)))).toEqual(
            Buffer.from(built.output),
          );
          expect(reused.totalTokens).toBe(built.totalTokens);
          expect(reused.skipped).toEqual(built.skipped);
          expect(skippedAs(reused, "secret")).toEqual(["config/aws credentials"]);
          expect(skippedAs(reused, "binary")).toEqual(["logo.bin"]);
          const describe = (r: typeof built) =>
            r.files.map((f) => ({
              path: f.path,
              tokens: f.tokens,
              bytes: f.bytes,
              blobId: f.blobId,
              rank: f.rank,
              content: f.content,
            }));
          expect(describe(reused)).toEqual(describe(built));
          if (removeComments)
            expect(reused.files.find((f) => f.path === "src/a.ts")?.content).toBe(
              "export const a = 42;\n",
            );
        }
      }
      const store = await storedPacks(repo);
      expect(store).toHaveLength(6);
      for (const name of store) {
        const bytes = await fs.readFile(`${packsDir(repo)}/${name}`, "latin1");
        expect(bytes).not.toContain(secretKey);
        expect(bytes).not.toContain(accessKeyId);
      }
    });
  });

  it("stores a pack only the second time it is asked for", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      await pack(repo, { format: "xml" });
      expect(await storedPacks(repo)).toEqual([]);
      expect((await fs.readdir(packsDir(repo))).filter((n) => n.endsWith(".seen"))).toHaveLength(1);
      await pack(repo, { format: "xml" });
      expect(await storedPacks(repo)).toHaveLength(1);
      expect((await fs.readdir(packsDir(repo))).filter((n) => n.endsWith(".seen"))).toEqual([]);
    });
  });

  it("sees a change that keeps the size and puts the mtime back (the ctime moved)", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      const { reused } = await packThrice(repo, { format: "xml" });
      expect(reused.stats.reused).toBe(true);
      const file = repo.path("src", "a.ts");
      const before = await fs.stat(file);
      const text = await repo.read("src/a.ts");
      // touch -r copies timestamps to the nanosecond (utimes from JS rounds them).
      const reference = repo.path(".git", "times");
      await execFileAsync("touch", ["-r", file, reference]);
      await fs.writeFile(file, text.replace("42", "43"));
      await execFileAsync("touch", ["-r", reference, file]);
      expect((await fs.stat(file)).mtimeMs).toBe(before.mtimeMs);
      expect((await fs.stat(file)).size).toBe(before.size);

      const after = await pack(repo, { format: "xml" });
      expect(after.stats.reused).toBe(false);
      expect(after.output).toContain("export const a = 43;");
      expect(after.output).not.toContain("export const a = 42;");
    });
  });

  it("builds again when a selected file is deleted or a directory becomes a symlink", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      expect((await packThrice(repo, { format: "xml" })).reused.stats.reused).toBe(true);
      await fs.rm(repo.path("bom.txt"));
      const deleted = await pack(repo, { format: "xml" });
      expect(deleted.stats.reused).toBe(false);
      expect(skippedAs(deleted, "deleted")).toEqual(["bom.txt"]);

      expect((await packThrice(repo, { format: "markdown" })).reused.stats.reused).toBe(true);
      // The same files, now behind a symlink: stat through the link sees the same inodes.
      await fs.rename(repo.path("src"), repo.path("src-real"));
      await fs.symlink("src-real", repo.path("src"));
      const swapped = await pack(repo, { format: "markdown" });
      expect(swapped.stats.reused).toBe(false);
      expect(skippedAs(swapped, "symlink")).toEqual(["src/a.ts"]);
      expect(swapped.output).not.toContain("export const a = 42;");
    });
  });

  it("never stores a pack whose files changed too recently to be vouched for", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      // A timestamp at or after the pack's start is racy; one in the future always is.
      const future = new Date(Date.now() + 3_600_000);
      await fs.utimes(repo.path("src", "a.ts"), future, future);
      const { built, stored, reused } = await packThrice(repo, { format: "xml" });
      for (const r of [built, stored, reused]) expect(r.stats.reused).toBe(false);
      expect(await storedPacks(repo)).toEqual([]);
    });
  });

  it("builds again when .speignore or the selection changes", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      await repo.write(".speignore", "# nothing yet\n");
      expect((await packThrice(repo, { format: "xml" })).reused.stats.reused).toBe(true);
      await repo.write(".speignore", "src/\n");
      const ignoring = await pack(repo, { format: "xml" });
      expect(ignoring.stats.reused).toBe(false);
      expect(paths(ignoring)).not.toContain("src/a.ts");
      expect(skippedAs(ignoring, "ignored")).toEqual(["src/a.ts"]);

      await repo.write("new.ts", "export const fresh = true;\n");
      await repo.git(["add", "new.ts"]);
      const grown = await pack(repo, { format: "xml" });
      expect(grown.stats.reused).toBe(false);
      expect(paths(grown)).toContain("new.ts");
    });
  });

  it("neither stores nor reuses with the cache off, with --diff or with --log", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      for (const options of [
        { format: "xml", cache: false },
        { format: "xml", diff: true, selectors: { all: true } },
        { format: "xml", log: 3 },
      ] satisfies PackOptions[]) {
        const { reused } = await packThrice(repo, options);
        expect(reused.stats.reused).toBe(false);
        expect(reused.stats.read).toBeGreaterThan(0);
      }
      expect(await storedPacks(repo)).toEqual([]);
    });
  });

  it("reuses a budgeted pack with the same dropped files, and says their content is gone", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      await repo.commit("big", { "big.md": "word ".repeat(3000) });
      await settle();
      const { built, reused } = await packThrice(repo, { format: "xml", budget: 1500 });
      expect(built.dropped.map((f) => f.path)).toEqual(["big.md"]);
      expect(reused.stats.reused).toBe(true);
      expect(reused.totalTokens).toBe(built.totalTokens);
      expect(reused.totalTokens).toBeLessThanOrEqual(1500);
      expect(reused.dropped.map((f) => [f.path, f.tokens])).toEqual(
        built.dropped.map((f) => [f.path, f.tokens]),
      );
      expect(() => reused.dropped[0]?.content).toThrow(/does not keep the content/);
    });
  });

  it("does not serve one worktree's pack to another", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      expect((await packThrice(repo, { format: "xml" })).reused.stats.reused).toBe(true);
      const linked = `${repo.dir}-wt`;
      await repo.git(["worktree", "add", "-q", "-b", "side", linked]);
      try {
        const other = openTestRepo(linked);
        await other.write("src/a.ts", "export const a = 'linked';\n");
        const fromLinked = await pack(other, { format: "xml" });
        expect(fromLinked.stats.reused).toBe(false);
        expect(fromLinked.output).toContain("export const a = 'linked';");
      } finally {
        await fs.rm(linked, { recursive: true, force: true });
      }
    });
  });

  it("recovers from a corrupt stored pack, and keeps at most 8", async () => {
    await withGitRepo(async (repo) => {
      await commitSample(repo);
      const first = await packThrice(repo, { format: "xml" });
      expect(first.reused.stats.reused).toBe(true);
      const [name] = await storedPacks(repo);
      await fs.writeFile(`${packsDir(repo)}/${name}`, "SPEPACK\u0001 torn");
      const rebuilt = await pack(repo, { format: "xml" });
      expect(rebuilt.stats.reused).toBe(false);
      expect(rebuilt.output).toBe(first.built.output);
      expect((await pack(repo, { format: "xml" })).stats.reused).toBe(true);

      // Not a pack, and not removable as one: pruning leaves it and never fails a pack.
      await fs.mkdir(`${packsDir(repo)}/foreign.pack`);
      await fs.utimes(`${packsDir(repo)}/foreign.pack`, 0, 0);
      await repo.commit("many", {
        ...Object.fromEntries(
          Array.from({ length: 9 }, (_, n) => [`many/${n}.ts`, `export const n = ${n};\n`]),
        ),
      });
      await settle();
      for (let n = 0; n < 9; n++)
        await packThrice(repo, { format: "xml", selectors: { pathspecs: [`many/${n}.ts`] } });
      expect((await storedPacks(repo)).length).toBe(8 + 1);
      expect((await fs.stat(`${packsDir(repo)}/foreign.pack`)).isDirectory()).toBe(true);
      const latest = await pack(repo, { format: "xml", selectors: { pathspecs: ["many/8.ts"] } });
      expect(latest.stats.reused).toBe(true);
    });
  });
});
