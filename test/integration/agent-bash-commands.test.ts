/**
 * The bash tool through a real session: output over the cap is cut with a note, a command over
 * the timeout is stopped with its whole process group (a grandchild too, even one that ignores
 * SIGTERM), background leftovers are stopped when the shell exits, the command sees none of the
 * API keys or git-pinning variables of the caller and runs in the worktree, and failures are
 * error results.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../helpers/agent-harness.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";
import { eventually, hostProcesses } from "../helpers/processes.ts";

let agent: AgentHarness;
beforeEach(async () => {
  agent = await startAgentHarness();
});
afterEach(() => agent.server.close());

function bash(command: string, id = "toolu_bash") {
  return mockReply.toolCall("bash", { command }, { id });
}

it("caps long output, keeping its start and end, and says how much was cut", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      bash("yes x | head -c 100000; echo; echo TAIL-MARK"),
      mockReply.text("done"),
    );
    await agent.run(dir, { executor: agent.executor({ maxOutputBytes: 1000 }) });
    const [result] = agent.toolResults(1);
    const content = String(result?.content);
    expect(result?.is_error).toBeUndefined();
    expect(content.startsWith("x\nx\n")).toBe(true);
    expect(content).toContain(
      "[… 99011 bytes of output cut: showing the first 500 and the last 500 of 100011 bytes …]",
    );
    expect(content.endsWith("x\nx\n\nTAIL-MARK\n[exit code 0]")).toBe(true);
    expect(content.length).toBeLessThan(1200);
  });
});

describe.each([
  ["in the sandbox", false],
  ["unconfined (exec.sandbox: off)", true],
])("processes, %s", (_mode, unconfined) => {
  it("stops a command at the timeout with its whole process group, grandchildren included", async () => {
    const n = unconfined ? 2 : 1;
    await withTempDir(async (dir) => {
      agent.server.reply(
        "anthropic",
        {
          toolCalls: [
            {
              id: "toolu_wait",
              name: "bash",
              input: { command: `echo started; sleep 101${n} & wait` },
            },
            {
              // Ignores SIGTERM: only the SIGKILL after the grace period stops it.
              id: "toolu_stubborn",
              name: "bash",
              input: { command: `(trap '' TERM; exec sleep 102${n}) & wait` },
            },
          ],
        },
        mockReply.text("done"),
      );
      const started = Date.now();
      const { events } = await agent.run(dir, {
        executor: agent.executor({ commandTimeoutMs: 1000, killGraceMs: 300 }),
        unconfined,
      });
      expect(Date.now() - started).toBeLessThan(8000);
      const [waited, stubborn] = agent.toolResults(1);
      expect(waited).toMatchObject({
        is_error: true,
        content:
          "Error: command did not finish within 1 second; it was stopped (its whole process group was killed)\n" +
          "Output before it was stopped:\nstarted\n",
      });
      expect(stubborn?.is_error).toBe(true);
      expect(await eventually(() => hostProcesses(`sleep 101${n}`).length === 0)).toBe(true);
      expect(await eventually(() => hostProcesses(`sleep 102${n}`).length === 0)).toBe(true);
      expect(events.filter((e) => e.type === "tool")).toEqual([
        {
          type: "tool",
          name: "bash",
          summary: `echo started; sleep 101${n} & wait (timed out)`,
          ok: false,
        },
        {
          type: "tool",
          name: "bash",
          summary: `(trap '' TERM; exec sleep 102${n}) & wait (timed out)`,
          ok: false,
        },
      ]);
    });
  });

  it("stops what a command leaves running in the background when its shell exits", async () => {
    const n = unconfined ? 2 : 1;
    await withTempDir(async (dir) => {
      agent.server.reply(
        "anthropic",
        bash(`sleep 103${n} & (setsid nohup sleep 104${n} >/dev/null 2>&1 &); echo left`),
        mockReply.text("ok"),
      );
      const started = Date.now();
      await agent.run(dir, { unconfined });
      expect(Date.now() - started).toBeLessThan(5000);
      const [result] = agent.toolResults(1);
      expect(result?.content).toBe(
        "left\n[exit code 0]\n[background processes it left running were stopped when it exited]",
      );
      expect(await eventually(() => hostProcesses(`sleep 103${n}`).length === 0)).toBe(true);
      // setsid leaves the process group: only the sandbox's PID namespace stops it.
      const escaped = hostProcesses(`sleep 104${n}`);
      for (const pid of escaped) process.kill(pid, "SIGKILL");
      if (!unconfined) expect(escaped).toEqual([]);
    });
  });
});

it("runs in the worktree without the caller's API keys, provider settings or git pinning", async () => {
  await withGitRepo(async (repo) => {
    const env = {
      ...process.env,
      ANTHROPIC_API_KEY: "sk-ant-dummy-leak-1",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:1/leak-2",
      GEMINI_API_KEY: "dummy-leak-3",
      GOOGLE_API_KEY: "dummy-leak-4",
      GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:1/leak-5",
      OPENAI_API_KEY: "sk-dummy-leak-6",
      OPENAI_BASE_URL: "http://127.0.0.1:1/leak-7",
      MY_SERVICE_TOKEN: "dummy-leak-8",
      DEPLOY_SECRET: "dummy-leak-9",
      SOME_VENDOR_API_KEY: "dummy-leak-10",
      CUSTOM_KEY_HOLDER: "dummy-leak-11",
      GIT_DIR: "/nonexistent/leak-12",
      GIT_INDEX_FILE: "/nonexistent/leak-13",
      GIT_WORK_TREE: "/nonexistent/leak-14",
      GIT_CONFIG_PARAMETERS: "'user.name'='leak-15'",
      KEEP_ME: "kept-value",
      NOT_LISTED: "dropped-value",
    };
    agent.server.reply(
      "anthropic",
      bash("env; echo cwd=$(pwd); echo top=$(git rev-parse --show-toplevel)"),
      mockReply.text("ok"),
    );
    await agent.run(repo.dir, {
      executor: agent.executor({ env, secretEnvNames: ["custom_key_holder"] }),
      sandboxEnv: ["KEEP_ME", "CUSTOM_KEY_HOLDER"],
    });
    const [result] = agent.toolResults(1);
    const content = String(result?.content);
    expect(result?.is_error).toBeUndefined();
    expect(content).not.toMatch(/leak-\d+/);
    // An allowlist: a variable passes only when exec.sandbox.env names it, and a key stays out
    // even then (CUSTOM_KEY_HOLDER is a configured secret name).
    expect(content).toContain("\nKEEP_ME=kept-value\n");
    expect(content).not.toContain("NOT_LISTED");
    expect(content).toContain(`\ncwd=${repo.dir}\n`);
    expect(content).toContain(`\ntop=${repo.dir}\n`);
    expect(content.endsWith("[exit code 0]")).toBe(true);
  });
});

it("reports failures as error results with stdout and stderr interleaved, and acknowledges restart", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      {
        toolCalls: [
          {
            id: "toolu_fail",
            name: "bash",
            input: { command: "echo one; echo two >&2; echo three; nonexistent-cmd-xyz" },
          },
          { id: "toolu_restart", name: "bash", input: { restart: true } },
          { id: "toolu_killed", name: "bash", input: { command: "kill -9 $$" } },
          { id: "toolu_stdin", name: "bash", input: { command: "cat; echo read-done" } },
        ],
      },
      mockReply.text("ok"),
    );
    await agent.run(dir);
    const [failed, restarted, killed, stdin] = agent.toolResults(1);
    expect(failed).toMatchObject({
      is_error: true,
      content:
        "one\ntwo\nthree\nbash: line 1: nonexistent-cmd-xyz: command not found\n[exit code 127]",
    });
    expect(restarted?.is_error).toBeUndefined();
    expect(restarted?.content).toMatch(/^Bash session restarted\./);
    expect(killed).toMatchObject({ is_error: true, content: "(no output)\n[killed by SIGKILL]" });
    // stdin is closed: `cat` ends at once instead of waiting for input.
    expect(stdin).toMatchObject({ content: "read-done\n[exit code 0]" });
  });
});
