/**
 * The sandbox against what a first review found: a `*` allowlist or a name must not reach the
 * host's loopback through the proxy; a symlink planted in the scratch /tmp or $HOME must not
 * redirect the next command's mounts onto the host; a validation gets a fresh scratch $HOME;
 * HOME=/ is a clear error. Driven through runCommand and a real sandbox of a real worktree.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runCommand } from "../../src/agent/run-command.ts";
import { configSchema } from "../../src/config/schema.ts";
import { SpeError } from "../../src/errors.ts";
import { probeSandbox } from "../../src/sandbox/probe.ts";
import { createSandbox, type Sandbox, type SandboxUse } from "../../src/sandbox/sandbox.ts";
import {
  proxiedGetCommand,
  startCanaryServer,
  type CanaryServer,
} from "../helpers/canary-server.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";

let canary: CanaryServer;
beforeEach(async () => {
  canary = await startCanaryServer();
});
afterEach(() => canary.close());

async function sandboxFor(repo: TestRepo, exec: Record<string, unknown>, env = process.env) {
  const worktree = repo.path(".git", "spe", "worktrees", "t");
  await repo.git(["worktree", "add", "-q", "-b", "spe/t", worktree]);
  const sandbox = await createSandbox({
    probe: await probeSandbox(process.env),
    config: configSchema.parse({ exec }),
    env,
    worktree,
    commonDir: repo.path(".git"),
    toplevel: repo.dir,
  });
  return { sandbox, worktree };
}

async function run(sandbox: Sandbox, worktree: string, command: string, use: SandboxUse = "bash") {
  return runCommand({
    command,
    cwd: worktree,
    env: process.env,
    shell: "/bin/bash",
    timeoutMs: 20_000,
    maxOutputBytes: 20_000,
    killGraceMs: 500,
    signal: new AbortController().signal,
    sandbox,
    use,
  });
}

it("a * allowlist or a name that resolves to loopback does not reach the host's loopback", async () => {
  await withGitRepo(async (repo) => {
    const { sandbox, worktree } = await sandboxFor(repo, {
      sandbox: { network: { bash: ["*"], validate: [`127.0.0.1:${canary.port}`] } },
    });
    try {
      for (const url of [
        `http://127.0.0.1:${canary.port}/star`,
        `http://localhost:${canary.port}/name`,
        // Another loopback address: refused before any connection is tried.
        `http://127.0.0.2:${canary.port}/alias`,
      ]) {
        const result = await run(sandbox, worktree, proxiedGetCommand(url));
        expect(result.output, url).toMatch(
          /^403 git spe sandbox: network access to .* is not allowed/,
        );
      }
      // Named by its address, it is reachable.
      const named = await run(
        sandbox,
        worktree,
        proxiedGetCommand(`http://127.0.0.1:${canary.port}/ok`),
        "validate",
      );
      expect(named.output).toBe("200 canary\n");
      expect(canary.hits).toEqual(["GET /ok"]);
    } finally {
      await sandbox.dispose();
    }
  });
});

it("a symlink planted in the scratch /tmp does not move the next command's mounts onto the host", async () => {
  await withGitRepo(async (repo) => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), "spe-outside-"));
    const home = path.join(outside, "home");
    await fs.mkdir(home);
    const victim = await fs.mkdtemp(path.join(os.tmpdir(), "spe-victim-"));
    const { sandbox, worktree } = await sandboxFor(repo, {}, { ...process.env, HOME: home });
    try {
      // $HOME's parent lives in the scratch /tmp: swap it for a link to a host directory.
      const planted = await run(
        sandbox,
        worktree,
        `mv '${outside}' /tmp/moved && ln -s '/oldroot${victim}' '${outside}' && ls -la /tmp`,
      );
      expect(planted.exitCode).toBe(0);
      const next = await run(sandbox, worktree, "echo still works; ls ~");
      expect(next.output).toContain("still works");
      expect(await fs.readdir(victim)).toEqual([]);
    } finally {
      await sandbox.dispose();
      await fs.rm(outside, { recursive: true, force: true });
      await fs.rm(victim, { recursive: true, force: true });
    }
  });
});

it("a validation gets a fresh scratch $HOME: what a command planted there is gone", async () => {
  await withGitRepo(async (repo) => {
    const { sandbox, worktree } = await sandboxFor(repo, {});
    try {
      expect(
        (await run(sandbox, worktree, "mkdir -p ~/.local && echo x > ~/.local/planted")).exitCode,
      ).toBe(0);
      expect((await run(sandbox, worktree, "test -e ~/.local/planted")).exitCode).toBe(0);
      expect(
        (await run(sandbox, worktree, "test ! -e ~/.local/planted", "validate")).exitCode,
      ).toBe(0);
    } finally {
      await sandbox.dispose();
    }
  });
});

it("HOME=/ is an exit-3 error saying what to set", async () => {
  await withGitRepo(async (repo) => {
    const error = await sandboxFor(repo, {}, { ...process.env, HOME: "/" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpeError);
    expect((error as SpeError).exitCode).toBe(3);
    expect((error as SpeError).message).toBe(
      "HOME is /: the sandbox replaces $HOME with a scratch directory",
    );
  });
});

it("run from a linked worktree, the main checkout and other checkouts stay hidden", async () => {
  // Outside /tmp (replaced whole inside the sandbox), where only the covers hide a checkout.
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = "/var/tmp";
  const restore = () => {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  };
  await withGitRepo(async (repo) => {
    restore();
    await repo.write("secret.env", "MAIN_CHECKOUT_SECRET=1\n");
    expect(repo.dir.startsWith("/var/tmp/")).toBe(true);
    const linked = `${repo.dir}-linked`;
    const other = `${repo.dir}-other`;
    await repo.git(["worktree", "add", "-q", "-b", "linked", linked]);
    await repo.git(["worktree", "add", "-q", "-b", "other", other]);
    const worktree = repo.path(".git", "spe", "worktrees", "t");
    await repo.git(["worktree", "add", "-q", "-b", "spe/t", worktree]);
    const sandbox = await createSandbox({
      probe: await probeSandbox(process.env),
      config: configSchema.parse({}),
      env: process.env,
      worktree,
      commonDir: repo.path(".git"),
      toplevel: linked,
    });
    try {
      for (const file of [`${repo.dir}/secret.env`, `${other}/README.md`, `${linked}/README.md`]) {
        const result = await run(sandbox, worktree, `cat '${file}'`);
        expect(result.exitCode, file).not.toBe(0);
      }
      expect((await run(sandbox, worktree, "cat README.md && git status --short")).exitCode).toBe(
        0,
      );
    } finally {
      await sandbox.dispose();
      await fs.rm(linked, { recursive: true, force: true });
      await fs.rm(other, { recursive: true, force: true });
    }
  }).finally(restore);
});
