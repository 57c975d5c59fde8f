/**
 * Aborting a step: the executor rejects promptly with the abort reason whether it is waiting
 * for the model or for a command, and a running command's whole process group is killed.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../helpers/agent-harness.ts";
import { withTempDir } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";
import { eventually, hostProcesses } from "../helpers/processes.ts";

let agent: AgentHarness;
beforeEach(async () => {
  agent = await startAgentHarness();
});
afterEach(() => agent.server.close());

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

it.each([
  ["in the sandbox", false],
  ["unconfined", true],
])("kills a running command and rejects with the abort reason (%s)", async (_mode, unconfined) => {
  const sleep = unconfined ? "sleep 3002" : "sleep 3001";
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      mockReply.toolCall("bash", { command: `${sleep} & wait` }),
      mockReply.text("never asked"),
    );
    const controller = new AbortController();
    const reason = new Error("interrupted by the test");
    const running = agent.run(dir, { signal: controller.signal, unconfined });
    await waitFor(async () => (hostProcesses(sleep).length > 0 ? true : undefined));

    const aborted = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - aborted).toBeLessThan(2000);
    expect(await eventually(() => hostProcesses(sleep).length === 0, 2000)).toBe(true);
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
