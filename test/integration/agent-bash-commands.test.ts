/**
 * The bash tool through a real session: output over the cap is cut with a note, a command over
 * the timeout is stopped with its whole process group (a grandchild too, even one that ignores
 * SIGTERM), background leftovers are stopped when the shell exits, the command sees none of the
 * API keys or git-pinning variables of the caller and runs in the worktree, and failures are
 * error results.
 */
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../helpers/agent-harness.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";

let agent: AgentHarness;
beforeEach(async () => {
  agent = await startAgentHarness();
});
afterEach(() => agent.server.close());

function bash(command: string, id = "toolu_bash") {
  return mockReply.toolCall("bash", { command }, { id });
}

/** Whether `pid` still runs; a zombie (dead, not yet reaped by init) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Reaping by init can lag a little behind the kill. */
async function isAliveAfterSettling(pid: number): Promise<boolean> {
  for (let i = 0; i < 20 && isRunning(pid); i += 1) await new Promise((r) => setTimeout(r, 50));
  return isRunning(pid);
}

async function pidFrom(file: string): Promise<number> {
  return Number((await fs.readFile(file, "utf8")).trim());
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

it("stops a command at the timeout with its whole process group, grandchildren included", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      {
        toolCalls: [
          {
            id: "toolu_wait",
            name: "bash",
            input: { command: "echo started; sleep 100 & echo $! > sleep.pid; wait" },
          },
          {
            // Ignores SIGTERM: only the SIGKILL after the grace period stops it.
            id: "toolu_stubborn",
            name: "bash",
            input: { command: "(trap '' TERM; exec sleep 100) & echo $! > stubborn.pid; wait" },
          },
        ],
      },
      mockReply.text("done"),
    );
    const started = Date.now();
    const { events } = await agent.run(dir, {
      executor: agent.executor({ commandTimeoutMs: 1000, killGraceMs: 300 }),
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
    expect(await isAliveAfterSettling(await pidFrom(path.join(dir, "sleep.pid")))).toBe(false);
    expect(await isAliveAfterSettling(await pidFrom(path.join(dir, "stubborn.pid")))).toBe(false);
    expect(events.filter((e) => e.type === "tool")).toEqual([
      {
        type: "tool",
        name: "bash",
        summary: "echo started; sleep 100 & echo $! > sleep.pid; wait (timed out)",
        ok: false,
      },
      {
        type: "tool",
        name: "bash",
        summary: "(trap '' TERM; exec sleep 100) & echo $! > stubborn.pid; wait (timed out)",
        ok: false,
      },
    ]);
  });
});

it("stops what a command leaves running in the background when its shell exits", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      bash("sleep 100 & echo $! > bg.pid; echo left"),
      mockReply.text("ok"),
    );
    const started = Date.now();
    await agent.run(dir);
    expect(Date.now() - started).toBeLessThan(5000);
    const [result] = agent.toolResults(1);
    expect(result?.content).toBe(
      "left\n[exit code 0]\n[background processes it left running were stopped when it exited]",
    );
    expect(await isAliveAfterSettling(await pidFrom(path.join(dir, "bg.pid")))).toBe(false);
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
    };
    agent.server.reply(
      "anthropic",
      bash("env; echo cwd=$(pwd); echo top=$(git rev-parse --show-toplevel)"),
      mockReply.text("ok"),
    );
    await agent.run(repo.dir, {
      executor: agent.executor({ env, secretEnvNames: ["custom_key_holder"] }),
    });
    const [result] = agent.toolResults(1);
    const content = String(result?.content);
    expect(result?.is_error).toBeUndefined();
    expect(content).not.toMatch(/leak-\d+/);
    expect(content).toContain("\nKEEP_ME=kept-value\n");
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
