/**
 * `git spe exec` (the built CLI) with `models.exec: "gemini-cli"` driving the real Gemini CLI
 * (`@google/gemini-cli`, pinned in devDependencies) in the run's sandbox, pointed at the loopback
 * mock model server with GOOGLE_GEMINI_BASE_URL. The scripted model uses Gemini CLI's own tools
 * (read_file, replace, write_file, run_shell_command): the edit lands in the worktree, is
 * validated, committed and merged; a failing validation gets a repair attempt (a second
 * `gemini -p`); usage comes from the CLI's JSON stats (its model router's request included,
 * answered by the mock as a side request); a model that never answers is stopped by
 * `timeoutSec`; a shell command that writes outside the worktree fails in the sandbox.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
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

const geminiBin = path.join(projectRoot, "node_modules", ".bin");
const key = "dummy-real-gemini-cli-key-0001";

async function setUp(
  repo: TestRepo,
  model = "gemini-cli",
  providers: object = {},
  thinking: object = {},
) {
  await repo.commit(
    "project",
    projectFiles({
      models: { exec: model },
      providers,
      thinking,
      // Prices for the models the 0.61 router picks, which the built-in table does not know.
      prices: {
        "gemini-3.5-flash-lite": { input: 0.1, output: 0.4 },
        "gemini-3.8-flash": { input: 0.5, output: 3 },
      },
      exec: { worktree: { deps: "none" }, maxRepairs: 1 },
    }),
  );
  const id = await seedSpec(repo, squarePlan());
  return { id, main: await repo.git(["rev-parse", "main"]) };
}

function env(server: MockModelServer): NodeJS.ProcessEnv {
  return {
    PATH: `${geminiBin}${path.delimiter}${process.env.PATH ?? ""}`,
    GEMINI_API_KEY: key,
    // With a base URL Gemini CLI 0.61 picks a "gateway" auth type that headless mode refuses;
    // git spe writes its settings (auth type from the key) into the sandbox's scratch $HOME.
    GOOGLE_GEMINI_BASE_URL: server.geminiBaseUrl,
  };
}

/** The function responses Gemini CLI sent back, in order. */
function functionResponses(server: MockModelServer): string[] {
  return server.requestsTo("gemini").flatMap((request) => {
    const { contents } = request.body as {
      contents: { parts: { functionResponse?: unknown }[] }[];
    };
    const last = contents.at(-1)?.parts ?? [];
    return last.filter((p) => p.functionResponse).map((p) => JSON.stringify(p.functionResponse));
  });
}

describe("exec with the real Gemini CLI", () => {
  it("edits with read_file and replace, runs a shell command, and the validated step merges", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, main } = await setUp(repo, "gemini-cli", {}, { exec: "low" });
        server.reply(
          "gemini",
          mockReply.toolCall("read_file", { file_path: "src/math.js" }),
          mockReply.toolCall("replace", {
            file_path: "src/math.js",
            old_string: mathSource,
            new_string: squareSource,
            instruction: "Add square(x).",
          }),
          mockReply.toolCall("run_shell_command", {
            command: 'npm test 2>&1 | grep -E "^# (pass|fail) "',
            description: "Run the tests",
          }),
          mockReply.text("Added square(x).", { usage: { input: 900, output: 40, thoughts: 25 } }),
        );
        const result = await runCli(["exec", id, "--json"], { cwd: repo.dir, env: env(server) });
        expect(result.exitCode, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ status: "merged" });
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.git(["rev-list", "--count", `${main}..main`])).toBe("1");

        // No -m: Gemini CLI asked its router first (answered by the mock, not the script).
        const side = server.requests.filter((r) => r.side === "gemini-cli model router");
        expect(side.length).toBeGreaterThan(0);
        const requests = server.requestsTo("gemini");
        expect(requests).toHaveLength(4);
        const first = requests[0]!;
        const tools = JSON.stringify((first.body as { tools?: unknown }).tools);
        for (const tool of ["read_file", "replace", "write_file", "run_shell_command"])
          expect(tools).toContain(`"${tool}"`);
        expect(first.rawBody).toContain("Add square(x) to src/math.js.");
        expect(first.headers["x-goog-api-key"]).toBe(key);
        // thinking.exec "low": Gemini CLI's 3.x chat alias, replaced in the settings git spe
        // wrote into the sandbox's $HOME, asks for thinkingLevel LOW.
        for (const request of requests)
          expect(
            (request.body as { generationConfig: { thinkingConfig: unknown } }).generationConfig
              .thinkingConfig,
          ).toMatchObject({ thinkingLevel: "LOW" });
        for (const request of server.requests) expect(request.rawBody).not.toContain(key);
        // The tools ran in the worktree, in the sandbox: the file came back, then the tests' output.
        const responses = functionResponses(server);
        expect(responses[0]).toContain("export function add");
        expect(responses[2]).toContain("# pass 2");
        expect(responses[2]).toContain("# fail 0");

        const record = await showRun(repo.dir, id);
        const executor = record.steps[0]!.attempts[0]!.executor!;
        expect(executor.model).toBe("gemini-cli:gemini-3.8-flash");
        // Usage from the CLI's stats: the router's tokens and the turns', thoughts as output.
        expect(record.usage.inputTokens).toBeGreaterThanOrEqual(900 + 40);
        expect(record.usage.outputTokens).toBeGreaterThanOrEqual(40 + 25 + 12);
        expect(executor.costUsd).toBeGreaterThan(0);
        expect(record.costUsd).toBe(executor.costUsd);
      });
    });
  });

  it("a failing validation gets a repair attempt in a second gemini -p", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id } = await setUp(repo, "gemini-cli:gemini-2.5-pro", {}, { exec: 12_000 });
        server.reply(
          "gemini",
          mockReply.toolCall("write_file", {
            file_path: "src/math.js",
            content: wrongSquareSource,
          }),
          mockReply.text("Added square."),
          mockReply.toolCall("write_file", { file_path: "src/math.js", content: squareSource }),
          mockReply.text("Fixed square."),
        );
        const result = await runCli(["exec", id], { cwd: repo.dir, env: env(server) });
        expect(result.exitCode, result.stderr).toBe(0);
        expect(await repo.read("src/math.js")).toBe(squareSource);
        const record = await showRun(repo.dir, id);
        expect(record.steps[0]!.attempts.map((a) => a.validation?.passed)).toEqual([false, true]);
        // -m given: no router request, the named model for every turn.
        expect(server.requests.filter((r) => r.side)).toEqual([]);
        expect(server.requestsTo("gemini").map((r) => r.model)).toEqual(
          Array(4).fill("gemini-2.5-pro"),
        );
        // A thinking budget reaches the 2.5 models as thinkingBudget.
        for (const request of server.requestsTo("gemini"))
          expect(JSON.stringify(request.body)).toContain('"thinkingBudget":12000');
        // The second session was told why: the failing test's output is in its prompt.
        const repair = server.requestsTo("gemini")[2]!;
        expect(repair.rawBody).toMatch(/square/);
        expect(repair.rawBody).toMatch(/npm test/);
        expect(record.steps[0]!.attempts[1]!.executor!.costUsd).toBeGreaterThan(0);
      });
    });
  });

  it("a shell command writing outside the worktree fails; a silent model is stopped by timeoutSec", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, main } = await setUp(repo, "gemini-cli:gemini-2.5-pro", {
          "gemini-cli": { timeoutSec: 20 },
        });
        const outside = path.join(repo.dir, "planted.txt");
        server.reply(
          "gemini",
          mockReply.toolCall("run_shell_command", {
            command: `echo planted > ${outside}; echo exit=$?`,
            description: "x",
          }),
          // Then the model goes silent: Gemini CLI waits, git spe stops it after timeoutSec.
          mockReply.text("never", { delayMs: 120_000 }),
        );
        const started = Date.now();
        const result = await runCli(["exec", id], { cwd: repo.dir, env: env(server) });
        expect(result.exitCode, result.stderr).toBe(1);
        expect(Date.now() - started).toBeLessThan(60_000);
        expect(result.stderr).toMatch(/gemini-cli: no answer within 20 s; the agent was stopped/);
        await expect(fs.access(outside)).rejects.toThrow();
        expect(functionResponses(server)[0]).toContain("Read-only file system");
        expect(await repo.git(["rev-parse", "main"])).toBe(main);
      });
    });
  }, 90_000);
});
