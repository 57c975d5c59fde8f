/**
 * The pre-push gate with real `git push` to a bare remote: unvalidated Spe-Spec commits are
 * refused with the command that validates them; after `git spe validate` the push goes through;
 * SPE=0 bypasses; plain commits are never blocked; deleting a remote branch works; HEAD:ref
 * pushes are checked; refs/notes/spe travels with a push.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { binDirWithGitSpe, pathWith } from "../helpers/cli.ts";
import { createGitRepo, withGitRepo, type TestRepo } from "../helpers/git-repo.ts";

async function withRemote(
  fn: (repo: TestRepo, remote: TestRepo, env: NodeJS.ProcessEnv) => Promise<void>,
) {
  const remote = await createGitRepo({ bare: true });
  try {
    await withGitRepo(async (repo) => {
      const env = { PATH: pathWith(binDirWithGitSpe(repo.path(".git", "spe-test"))) };
      await repo.commit("config", {
        ".sperc.json": JSON.stringify({ validate: ["test -f README.md"] }),
      });
      await repo.git(["remote", "add", "origin", remote.dir]);
      await repo.git(["push", "-q", "-u", "origin", "main"]);
      const init = await execa("git", ["spe", "init"], { cwd: repo.dir, env, reject: false });
      expect(init.exitCode, init.stderr).toBe(0);
      await fn(repo, remote, env);
    });
  } finally {
    await fs.rm(remote.dir, { recursive: true, force: true });
  }
}

const push = (repo: TestRepo, env: NodeJS.ProcessEnv, args: string[] = []) =>
  execa("git", ["push", "origin", ...args], { cwd: repo.dir, env, reject: false });

async function speCommit(repo: TestRepo, file: string) {
  await repo.write(file, `${file}\n`);
  await repo.git(["add", file]);
  await repo.git([
    "commit",
    "-q",
    "-m",
    `S1: add ${file}\n\nSpe-Spec: 20261121-demo\nSpe-Step: S1\nSpe-Run: r1`,
  ]);
  return repo.git(["rev-parse", "HEAD"]);
}

describe("the pre-push gate", () => {
  it("refuses unvalidated Spe-Spec commits, lets them through once validated, never blocks plain commits", async () => {
    await withRemote(async (repo, remote, env) => {
      await repo.commit("a plain commit", { "plain.txt": "x\n" });
      expect((await push(repo, env)).exitCode).toBe(0);

      const commit = await speCommit(repo, "feature.txt");
      const refused = await push(repo, env);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toContain(
        "git spe: push refused: 1 commit with a Spe-Spec trailer has no passing validation for its exact tree:",
      );
      expect(refused.stderr).toContain(
        `${commit.slice(0, 12)} S1: add feature.txt (spec 20261121-demo)`,
      );
      expect(refused.stderr).toContain(`git spe validate ${commit.slice(0, 12)}`);
      expect(await remote.git(["rev-parse", "main"])).not.toBe(commit);

      const validated = await execa("git", ["spe", "validate", commit.slice(0, 12)], {
        cwd: repo.dir,
        env,
        reject: false,
      });
      expect(validated.exitCode, validated.stderr).toBe(0);
      expect(validated.stderr).toContain("test -f README.md passed; recorded for git push");
      const accepted = await push(repo, env);
      expect(accepted.exitCode, accepted.stderr).toBe(0);
      expect(await remote.git(["rev-parse", "main"])).toBe(commit);

      // Up to date: the hook sees no refs and lets it be.
      expect((await push(repo, env)).exitCode).toBe(0);
    });
  });

  it("SPE=0 bypasses; HEAD:ref pushes are checked; deleting a remote branch works", async () => {
    await withRemote(async (repo, remote, env) => {
      const commit = await speCommit(repo, "other.txt");
      const viaHead = await push(repo, env, ["HEAD:refs/heads/review"]);
      expect(viaHead.exitCode).not.toBe(0);
      expect(viaHead.stderr).toContain("push refused");
      const bypass = await push(repo, { ...env, SPE: "0" }, ["HEAD:refs/heads/review"]);
      expect(bypass.exitCode, bypass.stderr).toBe(0);
      expect(await remote.git(["rev-parse", "review"])).toBe(commit);
      const deleted = await push(repo, env, ["--delete", "review"]);
      expect(deleted.exitCode, deleted.stderr).toBe(0);
      expect(
        (await remote.gitRaw(["rev-parse", "--verify", "--quiet", "refs/heads/review"])).exitCode,
      ).toBe(1);
    });
  });

  it("pushes refs/notes/spe along with a push", async () => {
    await withRemote(async (repo, remote, env) => {
      await repo.git([
        "notes",
        "--ref=refs/notes/spe",
        "add",
        "-m",
        '{"spe":"notes/v1","specs":{}}',
        "HEAD",
      ]);
      await repo.commit("plain", { "p.txt": "p\n" });
      const result = await push(repo, env);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(await remote.git(["rev-parse", "refs/notes/spe"])).toBe(
        await repo.git(["rev-parse", "refs/notes/spe"]),
      );
    });
  });
});

describe("hooks.prePush.runValidators", () => {
  it("validates the pushed tip in a temporary worktree once per tree, and refuses a failing one", async () => {
    const remote = await createGitRepo({ bare: true });
    try {
      await withGitRepo(async (repo) => {
        const env = { PATH: pathWith(binDirWithGitSpe(repo.path(".git", "spe-test"))) };
        // The validator counts its runs in a directory the sandbox config makes writable.
        const counterDir = repo.path(".counter");
        await fs.mkdir(counterDir);
        await fs.appendFile(repo.path(".git", "info", "exclude"), "/.counter/\n");
        const counter = path.join(counterDir, "validator-runs");
        const config = {
          validate: [`echo run >> '${counter}'; test ! -f broken.txt`],
          hooks: { prePush: { runValidators: true } },
          exec: { sandbox: { writable: [counterDir] } },
        };
        await repo.commit("config", { ".sperc.json": JSON.stringify(config) });
        await repo.git(["remote", "add", "origin", remote.dir]);
        await execa("git", ["spe", "init"], { cwd: repo.dir, env });
        expect((await push(repo, env, ["main"])).exitCode).toBe(0);
        expect((await push(repo, env, ["main:refs/heads/copy"])).exitCode).toBe(0);
        // Same tree twice: validated once.
        expect((await repo.read(".counter/validator-runs")).trim().split("\n")).toHaveLength(1);

        await repo.write("broken.txt", "x\n");
        await repo.write("dirty-in-worktree.txt", "never committed\n");
        await repo.git(["add", "broken.txt"]);
        await repo.git(["commit", "-q", "-m", "breaks the validator"]);
        const refused = await push(repo, env, ["main"]);
        expect(refused.exitCode).not.toBe(0);
        expect(refused.stderr).toContain("git spe: push refused: echo run >>");
        expect(await repo.git(["worktree", "list"])).not.toContain("validate");
      });
    } finally {
      await fs.rm(remote.dir, { recursive: true, force: true });
    }
  });
});
