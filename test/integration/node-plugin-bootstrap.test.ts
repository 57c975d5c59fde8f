/**
 * node(): dependencies in a scratch worktree on worktree:ready, through the plugin test
 * harness. `link` hard-links the user's node_modules when the lockfile is the same and installs
 * (npm ci, offline here: a file: dependency) when it differs; `install` always installs; `none`
 * does nothing; a failing install stops with the command's output and what to do.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { WorktreeReadyEvent } from "git-spe";
import { node } from "git-spe/plugins/node";
import { testPlugin } from "git-spe/testing";
import { withTempDir } from "../helpers/git-repo.ts";

const manifest = { name: "app", version: "1.0.0", dependencies: { dep: "file:vendor/dep" } };
const lockfile = {
  name: "app",
  version: "1.0.0",
  lockfileVersion: 3,
  requires: true,
  packages: {
    "": { name: "app", version: "1.0.0", dependencies: { dep: "file:vendor/dep" } },
    "node_modules/dep": { resolved: "vendor/dep", link: true },
    "vendor/dep": { version: "1.0.0" },
  },
};

/** The same project twice: the user's work tree (with node_modules) and a fresh worktree. */
async function twoCopies(dir: string, worktreeLock = lockfile) {
  const root = path.join(dir, "user");
  const worktree = path.join(dir, "worktree");
  for (const [at, lock] of [
    [root, lockfile],
    [worktree, worktreeLock],
  ] as const) {
    await fs.mkdir(path.join(at, "vendor", "dep"), { recursive: true });
    await fs.writeFile(path.join(at, "package.json"), JSON.stringify(manifest));
    await fs.writeFile(path.join(at, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
    await fs.writeFile(
      path.join(at, "vendor", "dep", "package.json"),
      '{"name":"dep","version":"1.0.0"}',
    );
    await fs.writeFile(path.join(at, "vendor", "dep", "index.js"), "module.exports = 1;\n");
  }
  await fs.mkdir(path.join(root, "node_modules", "dep"), { recursive: true });
  await fs.writeFile(path.join(root, "node_modules", "dep", "index.js"), "module.exports = 1;\n");
  const event = (deps: WorktreeReadyEvent["deps"]): WorktreeReadyEvent => ({
    purpose: "exec",
    worktree,
    root,
    deps,
  });
  return { root, worktree, event, t: testPlugin(node(), { cwd: worktree, root }) };
}

describe("node plugin: worktree bootstrap", () => {
  it("hard-links node_modules when the lockfile is the same", async () => {
    await withTempDir(async (dir) => {
      const { root, worktree, event, t } = await twoCopies(dir);
      await t.runHook("worktree:ready", event("link"));
      const linked = await fs.stat(path.join(worktree, "node_modules", "dep", "index.js"));
      expect(linked.ino).toBe(
        (await fs.stat(path.join(root, "node_modules", "dep", "index.js"))).ino,
      );
      expect(t.messages("info")).toEqual([
        "node_modules hard-linked into the worktree (same lockfile)",
      ]);
    });
  });

  it("installs when the lockfile differs, and with deps: install", async () => {
    await withTempDir(async (dir) => {
      const changed = { ...lockfile, name: "app-changed" };
      const { worktree, event, t } = await twoCopies(dir, changed);
      await t.runHook("worktree:ready", event("link"));
      expect(t.messages("info")).toEqual([
        "installing dependencies in the worktree: npm ci --no-audit --no-fund",
      ]);
      // npm ci links the file: dependency: a symlink, not a hard-linked copy.
      expect((await fs.lstat(path.join(worktree, "node_modules", "dep"))).isSymbolicLink()).toBe(
        true,
      );
    });
    await withTempDir(async (dir) => {
      const { worktree, event, t } = await twoCopies(dir);
      await t.runHook("worktree:ready", event("install"));
      expect(t.messages("info")).toEqual([
        "installing dependencies in the worktree: npm ci --no-audit --no-fund",
      ]);
      expect((await fs.lstat(path.join(worktree, "node_modules", "dep"))).isSymbolicLink()).toBe(
        true,
      );
    });
  });

  it("does nothing with deps: none, and warns without a lockfile", async () => {
    await withTempDir(async (dir) => {
      const { worktree, event, t } = await twoCopies(dir);
      await t.runHook("worktree:ready", event("none"));
      expect(await fs.readdir(worktree)).not.toContain("node_modules");
      await fs.rm(path.join(worktree, "package-lock.json"));
      await t.runHook("worktree:ready", event("install"));
      expect(t.messages("warn")).toEqual([
        "package.json without a lockfile: dependencies not installed in the worktree",
      ]);
      expect(await fs.readdir(worktree)).not.toContain("node_modules");
    });
  });

  it("stays silent for a package.json without dependencies or a lockfile", async () => {
    await withTempDir(async (dir) => {
      const { worktree, event, t } = await twoCopies(dir);
      await fs.writeFile(
        path.join(worktree, "package.json"),
        JSON.stringify({ name: "app", scripts: { test: "node --test" }, dependencies: {} }),
      );
      await fs.rm(path.join(worktree, "package-lock.json"));
      await t.runHook("worktree:ready", event("link"));
      expect([...t.messages("warn"), ...t.messages("info")]).toEqual([]);
      expect(await fs.readdir(worktree)).not.toContain("node_modules");
    });
  });

  it("stops with the install's output and a hint when the install fails", async () => {
    await withTempDir(async (dir) => {
      const { worktree, event, t } = await twoCopies(dir);
      await fs.writeFile(path.join(worktree, "package-lock.json"), "{ not json");
      const error = await t.runHook("worktree:ready", event("install")).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(
        /^plugin "node" failed in hook "worktree:ready": npm ci --no-audit --no-fund failed \(exit \d+\):\n[^]*/,
      );
      expect((error as { hints: string[] }).hints).toEqual([
        'Fix it, or set exec.worktree.deps to "none" in .spe.config.ts.',
      ]);
    });
  });
});
