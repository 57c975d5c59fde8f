/**
 * Installing into a repository that uses husky appends to .husky/pre-push and the gate fires on
 * `git push` alongside the husky script; installing over an existing custom hook keeps it
 * running. A missing git-spe binary is explained, not "command not found"; SPE_DEBUG traces.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { binDirWithGitSpe, pathWith } from "../helpers/cli.ts";
import { createGitRepo, projectRoot, withGitRepo, type TestRepo } from "../helpers/git-repo.ts";

async function withRemote(fn: (repo: TestRepo, env: NodeJS.ProcessEnv) => Promise<void>) {
  const remote = await createGitRepo({ bare: true });
  try {
    await withGitRepo(async (repo) => {
      await repo.commit("config", {
        ".sperc.json": JSON.stringify({ validate: ["true"] }),
        "package.json": '{"name":"x"}\n',
      });
      await repo.git(["remote", "add", "origin", remote.dir]);
      await repo.git(["push", "-q", "-u", "origin", "main"]);
      await fn(repo, { PATH: pathWith(binDirWithGitSpe(repo.path(".git", "spe-test"))) });
    });
  } finally {
    await fs.rm(remote.dir, { recursive: true, force: true });
  }
}

async function speCommit(repo: TestRepo) {
  await repo.write("f.txt", "f\n");
  await repo.git(["add", "f.txt"]);
  await repo.git(["commit", "-q", "-m", "S1: f\n\nSpe-Spec: 20261121-demo"]);
}

describe("hooks with husky and with an existing hook", () => {
  it("appends to .husky/pre-push, and both the husky script and the gate run on git push", async () => {
    await withRemote(async (repo, env) => {
      await execa(process.execPath, [path.join(projectRoot, "node_modules", "husky", "bin.js")], {
        cwd: repo.dir,
      });
      expect(await repo.git(["config", "core.hooksPath"])).toBe(".husky/_");
      await repo.write(".husky/pre-push", 'echo "husky ran" > .husky-ran\n');
      const init = await execa("git", ["spe", "init"], { cwd: repo.dir, env, reject: false });
      expect(init.stderr).toMatch(/^ {2}appended +\.husky\/pre-push$/m);
      await speCommit(repo);
      const refused = await execa("git", ["push", "origin"], { cwd: repo.dir, env, reject: false });
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toContain("git spe: push refused");
      expect(await repo.read(".husky-ran")).toBe("husky ran\n");
    });
  });

  it("keeps an existing custom hook running before the gate", async () => {
    await withRemote(async (repo, env) => {
      await repo.write(
        ".git/hooks/pre-push",
        '#!/bin/sh\nwhile read local_ref local_oid remote_ref remote_oid; do echo "$local_ref" >> .custom-ran; done\n',
      );
      await fs.chmod(repo.path(".git/hooks/pre-push"), 0o755);
      const init = await execa("git", ["spe", "init"], { cwd: repo.dir, env, reject: false });
      expect(init.stderr).toMatch(/^ {2}chained +\.git\/hooks\/pre-push /m);
      await repo.commit("plain", { "p.txt": "p\n" });
      const pushed = await execa("git", ["push", "origin"], { cwd: repo.dir, env, reject: false });
      expect(pushed.exitCode, pushed.stderr).toBe(0);
      // The custom hook read the same input the gate did.
      expect(await repo.read(".custom-ran")).toBe("refs/heads/main\n");
      await speCommit(repo);
      const refused = await execa("git", ["push", "origin"], { cwd: repo.dir, env, reject: false });
      expect(refused.stderr).toContain("git spe: push refused");
      expect(await repo.read(".custom-ran")).toBe("refs/heads/main\nrefs/heads/main\n");
    });
  });

  it("explains a missing git-spe binary instead of failing with command not found", async () => {
    await withRemote(async (repo, env) => {
      await execa("git", ["spe", "init"], { cwd: repo.dir, env });
      await speCommit(repo);
      const withoutSpe = {
        PATH: (process.env.PATH ?? "")
          .split(path.delimiter)
          .filter((d) => !d.includes("spe-test"))
          .join(path.delimiter),
      };
      const result = await execa("git", ["push", "origin"], {
        cwd: repo.dir,
        env: withoutSpe,
        extendEnv: true,
        reject: false,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain(
        "git spe: this repository's pre-push hook needs git-spe, which is not on PATH.",
      );
      expect(result.stderr).toContain("SPE=0 git push");
      expect(result.stderr).not.toMatch(/command not found/);
    });
  });

  it("SPE_DEBUG=1 traces the hook script on stderr", async () => {
    await withRemote(async (repo, env) => {
      await execa("git", ["spe", "init"], { cwd: repo.dir, env });
      await repo.commit("plain", { "p.txt": "p\n" });
      const quiet = await execa("git", ["push", "origin"], { cwd: repo.dir, env, reject: false });
      expect(quiet.exitCode, quiet.stderr).toBe(0);
      expect(quiet.stderr).not.toMatch(/^\+ /m);
      await repo.commit("plain 2", { "q.txt": "q\n" });
      const traced = await execa("git", ["push", "origin"], {
        cwd: repo.dir,
        env: { ...env, SPE_DEBUG: "1" },
        reject: false,
      });
      expect(traced.exitCode, traced.stderr).toBe(0);
      expect(traced.stderr).toMatch(/^\+ git-spe hook pre-push origin /m);
    });
  });
});
