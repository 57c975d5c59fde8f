/**
 * An agent CLI executor (`claude -p`, here the fake that behaves like it) runs in the run's
 * sandbox: its own tool commands can edit the worktree, but not the user's checkout, hooks or
 * $HOME; it holds its own key and nobody else's; it reaches its API host and nothing else.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import {
  proxiedGetCommand,
  startCanaryServer,
  type CanaryServer,
} from "../helpers/canary-server.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { projectFiles, seedSpec, squareSource, oneStepPlan } from "../helpers/exec-fixtures.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { makeCanaryHome, snapshotSurroundings } from "../helpers/invariants.ts";

let canary: CanaryServer;
let api: CanaryServer;
beforeEach(async () => {
  canary = await startCanaryServer();
  api = await startCanaryServer();
});
afterEach(async () => {
  await canary.close();
  await api.close();
});

it("claude-code's own commands are confined to the worktree and its API host", async () => {
  await withGitRepo(async (repo) => {
    const fakeDir = await fs.mkdtemp(path.join(os.tmpdir(), "spe-fake-cli-"));
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), "spe-outside-"));
    try {
      const { home, secret } = await makeCanaryHome(outside);
      await repo.commit(
        "project",
        projectFiles({
          models: { exec: "claude-code" },
          exec: {
            worktree: { deps: "none" },
            maxRepairs: 0,
            sandbox: { writable: [fakeDir], env: ["SPE_FAKE_CLI_SCRIPT", "SPE_FAKE_CLI_LOG"] },
          },
        }),
      );
      const id = await seedSpec(repo, oneStepPlan);
      const attacks = [
        `echo planted > '${repo.dir}/planted.txt'`,
        `echo 'exit 0' > '${repo.dir}/.git/hooks/pre-push'`,
        "echo evil >> ~/.bashrc",
        "cat ~/.ssh/id_ed25519",
        "env | grep -c -E 'GEMINI_API_KEY|OPENAI_API_KEY|GITHUB_TOKEN'",
        // Through the sandbox's proxy (HTTP_PROXY), as the CLI's own requests go.
        proxiedGetCommand(`http://127.0.0.1:${canary.port}/stolen`),
        proxiedGetCommand(`http://127.0.0.1:${api.port}/v1/models`),
        "echo edited-in-the-worktree > notes.txt",
      ];
      const cli = await setupFakeCli(fakeDir, [
        {
          bin: "claude",
          result: "Added square.",
          files: { "src/math.js": squareSource },
          commands: attacks,
        },
      ]);
      const around = await snapshotSurroundings(repo, { home, outside });
      const env = {
        ...cli.env,
        HOME: home,
        ANTHROPIC_API_KEY: "sk-ant-dummy-cli-0453",
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${api.port}`,
        GEMINI_API_KEY: "dummy-not-for-claude",
        OPENAI_API_KEY: "sk-dummy-not-for-claude",
        GITHUB_TOKEN: "ghp_dummy_not_for_claude",
      };
      const result = (await exec(testCommandContext(repo.dir, { env }), {})) as ExecSummary;
      expect(result.status).toBe("merged");
      const [call] = await cli.log();
      const outcome = (call?.commands ?? []).map((c) => [c.exitCode, c.output.trim()]);
      expect(outcome[0]?.[0]).not.toBe(0); // the user's checkout: read-only
      expect(outcome[0]?.[1]).toContain("Read-only file system");
      expect(outcome[1]?.[1]).toContain("Read-only file system"); // hooks
      expect(outcome[2]?.[0]).not.toBe(0); // ~/.bashrc
      expect(outcome[3]?.[1]).toContain("No such file or directory"); // ~/.ssh
      expect(outcome[4]).toEqual([1, "0"]); // no other key in the CLI's environment
      // The proxy refuses the loopback service, and says why.
      expect(outcome[5]?.[1]).toBe(
        `403 git spe sandbox: network access to 127.0.0.1:${canary.port} is not allowed (exec.sandbox.network)`,
      );
      expect(outcome[6]).toEqual([0, "200 canary"]); // its own API host is reachable
      expect(outcome[7]?.[0]).toBe(0);
      expect(canary.hits).toEqual([]);
      expect(api.hits).toEqual(["GET /v1/models"]);
      expect(await repo.read("notes.txt")).toBe("edited-in-the-worktree\n");
      expect(await repo.exists("planted.txt")).toBe(false);
      expect(await snapshotSurroundings(repo, { home, outside })).toEqual(around);
      expect(JSON.stringify(await cli.log())).not.toContain(secret);
      expect(id).toMatch(/add-square/);
    } finally {
      await fs.rm(fakeDir, { recursive: true, force: true });
      await fs.rm(outside, { recursive: true, force: true });
    }
  });
});
