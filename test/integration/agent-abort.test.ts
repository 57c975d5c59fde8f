/**
 * Aborting a step: the executor rejects promptly with the abort reason whether it is waiting
 * for the model or for a command, and a running command's whole process group is killed.
 */
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../helpers/agent-harness.ts";
import { withTempDir } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";

let agent: AgentHarness;
beforeEach(async () => {
  agent = await startAgentHarness();
});
afterEach(() => agent.server.close());

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true;
  }
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("kills a running command and rejects with the abort reason", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      mockReply.toolCall("bash", { command: "sleep 30 & echo $! > sleep.pid; wait" }),
      mockReply.text("never asked"),
    );
    const controller = new AbortController();
    const reason = new Error("interrupted by the test");
    const running = agent.run(dir, { signal: controller.signal });
    const pidFile = path.join(dir, "sleep.pid");
    const pid = await waitFor(async () => {
      const text = await fs.readFile(pidFile, "utf8").catch(() => "");
      return text.endsWith("\n") ? Number(text.trim()) : undefined;
    });
    expect(isRunning(pid)).toBe(true);

    const aborted = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - aborted).toBeLessThan(2000);
    await waitFor(async () => (isRunning(pid) ? undefined : true), 2000);
    // The model was not asked again after the abort.
    expect(agent.server.requestsTo("anthropic")).toHaveLength(1);
  });
});

it("rejects with the abort reason while waiting for the model", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply("anthropic", mockReply.text("too late", { delayMs: 10_000 }));
    const controller = new AbortController();
    const running = agent.run(dir, { signal: controller.signal });
    await waitFor(async () => (agent.server.requestsTo("anthropic").length > 0 ? true : undefined));
    const aborted = Date.now();
    controller.abort("stop");
    await expect(running).rejects.toBe("stop");
    expect(Date.now() - aborted).toBeLessThan(2000);
  });
});

it("does not start when the signal is already aborted", async () => {
  await withTempDir(async (dir) => {
    const controller = new AbortController();
    controller.abort(new Error("already"));
    await expect(agent.run(dir, { signal: controller.signal })).rejects.toThrow("already");
    expect(agent.server.requestsTo("anthropic")).toHaveLength(0);
  });
});
