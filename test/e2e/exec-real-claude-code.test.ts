/**
 * `git spe exec` (the built CLI) with `models.exec: "claude-code"` driving the real Claude Code
 * (`@anthropic-ai/claude-code`, pinned in devDependencies) in the run's sandbox, pointed at the
 * loopback mock model server with ANTHROPIC_BASE_URL. The scripted model uses Claude Code's own
 * tools (Read, Edit, Write, Bash): the edit lands in the worktree, is validated, committed and
 * merged; a failing validation gets a repair attempt (a second `claude -p`); usage and cost come
 * from the CLI's result event; a model that never answers is stopped by `timeoutSec`; a Bash
 * command that writes outside the worktree fails in the sandbox.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { agentWorktree } from "../../src/sandbox/types.ts";
import { runCli, showRun } from "../helpers/cli.ts";
import {
  mathSource,
  projectFiles,
  seedSpec,
  squarePlan,
  squareSource,
  wrongSquareSource,
} from "../helpers/exec-fixtures.ts";
import { projectRoot, withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import {
  mockReply,
  withMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

const claudeBin = path.join(projectRoot, "node_modules", ".bin");

async function setUp(
  repo: TestRepo,
  providers: Record<string, unknown> = {},
  thinking: Record<string, unknown> = {},
) {
  await repo.commit(
    "project",
    projectFiles({
      models: { exec: "claude-code" },
      providers,
      thinking,
      exec: { worktree: { deps: "none" }, maxRepairs: 1 },
    }),
  );
  const id = await seedSpec(repo, squarePlan());
  // Claude Code's tools take absolute paths: in the sandbox it sees the worktree at
  // agentWorktree (it refuses to edit under a `.git` directory, where the worktree really is).
  return { id, worktree: agentWorktree, main: await repo.git(["rev-parse", "main"]) };
}

function env(server: MockModelServer): NodeJS.ProcessEnv {
  return {
    PATH: `${claudeBin}${path.delimiter}${process.env.PATH ?? ""}`,
    ANTHROPIC_API_KEY: "sk-ant-dummy-real-claude-0001",
    ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
}

describe("exec with the real Claude Code", () => {
  it("edits with Read and Edit, runs Bash, and the validated step merges", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, worktree, main } = await setUp(repo, {}, { exec: "low" });
        const file = path.join(worktree, "src/math.js");
        server.reply(
          "anthropic",
          mockReply.toolCall("Read", { file_path: file }),
          mockReply.toolCall("Edit", {
            file_path: file,
            old_string: mathSource,
            new_string: squareSource,
          }),
          mockReply.toolCall("Bash", {
            command: 'npm test 2>&1 | grep -E "^# (pass|fail) "',
            description: "Run the tests",
          }),
          mockReply.text("Added square(x)."),
        );
        const result = await runCli(["exec", id, "--json"], { cwd: repo.dir, env: env(server) });
        expect(result.exitCode, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ status: "merged" });
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.git(["rev-list", "--count", `${main}..main`])).toBe("1");

        const requests = server.requestsTo("anthropic");
        expect(requests).toHaveLength(4);
        // Claude Code's own request: its tools, our step in the prompt, the key only in the header.
        const first = requests[0]!;
        const tools = (first.body as { tools: { name: string }[] }).tools.map((t) => t.name);
        expect(tools).toEqual(expect.arrayContaining(["Read", "Edit", "Write", "Bash"]));
        expect(first.rawBody).toContain("Add square(x) to src/math.js.");
        expect(first.headers["x-api-key"]).toBe("sk-ant-dummy-real-claude-0001");
        // thinking.exec "low" → `claude --effort low` → what Claude Code asks the API for.
        expect((first.body as { output_config?: unknown }).output_config).toEqual({
          effort: "low",
        });
        // Bash ran inside the worktree, in the sandbox: the test output came back to the model.
        expect(JSON.stringify(requests[3]!.body).includes("# pass 2\\n# fail 0")).toBe(true);

        const record = await showRun(repo.dir, id);
        const executor = record.steps[0]!.attempts[0]!.executor!;
        expect(executor.model).toMatch(/^claude-code:/);
        // Usage and cost as Claude Code reported them in its result event.
        expect(executor.costUsd).toBeGreaterThan(0);
        expect(record.costUsd).toBe(executor.costUsd);
        expect(record.usage.inputTokens).toBeGreaterThan(0);
        expect(record.usage.outputTokens).toBeGreaterThan(0);
      });
    });
  });

  it("a failing validation gets a repair attempt in a second claude -p", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, worktree } = await setUp(repo);
        const file = path.join(worktree, "src/math.js");
        server.reply(
          "anthropic",
          mockReply.toolCall("Write", { file_path: file, content: wrongSquareSource }),
          mockReply.text("Added square."),
          mockReply.toolCall("Write", { file_path: file, content: squareSource }),
          mockReply.text("Fixed square."),
        );
        const result = await runCli(["exec", id], { cwd: repo.dir, env: env(server) });
        expect(result.exitCode, result.stderr).toBe(0);
        expect(await repo.read("src/math.js")).toBe(squareSource);
        const record = await showRun(repo.dir, id);
        expect(record.steps[0]!.attempts.map((a) => a.validation?.passed)).toEqual([false, true]);
        // The second session was told why: the failing test's output is in its prompt.
        const repair = server.requestsTo("anthropic")[2]!;
        expect(repair.rawBody).toMatch(/square/);
        expect(repair.rawBody).toMatch(/npm test/);
      });
    });
  });

  it("a Bash command writing outside the worktree fails; a silent model is stopped by timeoutSec", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, main } = await setUp(repo, { "claude-code": { timeoutSec: 5 } });
        const outside = path.join(repo.dir, "planted.txt");
        server.reply(
          "anthropic",
          mockReply.toolCall("Bash", {
            command: `echo planted > ${outside}; echo exit=$?`,
            description: "x",
          }),
          // Then the model goes silent: Claude Code waits, git spe stops it after timeoutSec.
          mockReply.text("never", { delayMs: 120_000 }),
        );
        const started = Date.now();
        const result = await runCli(["exec", id], { cwd: repo.dir, env: env(server) });
        expect(result.exitCode, result.stderr).toBe(1);
        // It ends when the CLI is stopped, not when the mock's reply would have come (120 s).
        expect(Date.now() - started).toBeLessThan(40_000);
        expect(result.stderr).toMatch(/claude-code: no answer within 5 s; the agent was stopped/);
        await expect(fs.access(outside)).rejects.toThrow();
        // What the model was told about its command: refused by the read-only file system.
        expect(
          JSON.stringify(server.requestsTo("anthropic")[1]?.body).includes("Read-only file system"),
        ).toBe(true);
        expect(await repo.git(["rev-parse", "main"])).toBe(main);
      });
    });
  }, 90_000);
});
