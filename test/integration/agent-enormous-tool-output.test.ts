/**
 * Enormous tool results stay within the output cap (30,000 bytes by default), so neither memory
 * nor the next request grows with them: 50 MB of command output, a 5 MB one-line file and a
 * 5 MB many-line file viewed whole, and a file over the editor's 20 MB read limit (refused,
 * pointing at bash).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { defaultMaxOutputBytes } from "../../src/agent/builtin-executor.ts";
import { type AgentHarness, startAgentHarness } from "../helpers/agent-harness.ts";
import { withTempDir } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";

let agent: AgentHarness;
beforeEach(async () => {
  agent = await startAgentHarness();
});
afterEach(() => agent.server.close());

/** The tool results of the follow-up request, and that request's size. */
function followUp(index: number) {
  const request = agent.server.requestsTo("anthropic")[index];
  return { results: agent.toolResults(index), bytes: request?.rawBody.length ?? 0 };
}

it("caps 50 MB of command output at the default limit, keeping its end", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      mockReply.toolCall("bash", { command: "yes | head -c 50000000; echo; echo TAIL-MARK" }),
      mockReply.text("That was a lot."),
    );
    const { result } = await agent.run(dir);
    const { results, bytes } = followUp(1);
    const content = String(results[0]?.content);
    expect(content).toContain(
      `bytes of output cut: showing the first 15000 and the last 15000 of 50000011 bytes …]`,
    );
    expect(content.endsWith("y\ny\n\nTAIL-MARK\n[exit code 0]")).toBe(true);
    expect(Buffer.byteLength(content)).toBeLessThan(defaultMaxOutputBytes + 200);
    // JSON escaping makes "y\n" three bytes on the wire.
    expect(bytes).toBeLessThan(2 * defaultMaxOutputBytes);
    expect(result.outcome).toBe("done");
  });
});

it("caps views of huge files and refuses to open one over the read limit", async () => {
  await withTempDir(async (dir) => {
    await fs.writeFile(path.join(dir, "minified.js"), "x".repeat(5_000_000));
    await fs.writeFile(path.join(dir, "log.txt"), "a log line\n".repeat(500_000));
    const huge = await fs.open(path.join(dir, "huge.txt"), "w");
    await huge.truncate(21 * 1024 * 1024); // sparse: no 21 MB written
    await huge.close();
    const view = (file: string, id: string) =>
      ({
        id,
        name: "str_replace_based_edit_tool",
        input: { command: "view", path: file },
      }) as const;
    agent.server.reply(
      "anthropic",
      { toolCalls: [view("minified.js", "t1"), view("log.txt", "t2"), view("huge.txt", "t3")] },
      mockReply.text("Seen enough."),
    );
    await agent.run(dir);
    const { results, bytes } = followUp(1);
    const [minified, log, huge2] = results.map((r) => String(r.content));
    expect(minified).toMatch(/^1: x+… \[line cut: it has 5000003 characters\]$/);
    expect(log).toMatch(
      /\[View truncated at the 30000-byte limit: showing lines 1–\d+ of 500000\./,
    );
    for (const content of [minified, log])
      expect(Buffer.byteLength(content ?? "")).toBeLessThan(defaultMaxOutputBytes + 300);
    expect(results[2]).toMatchObject({ is_error: true });
    expect(huge2).toBe(
      "Error: huge.txt is 22020096 bytes, too large to open in the editor; inspect it with bash (head, sed -n, grep)",
    );
    expect(bytes).toBeLessThan(3 * defaultMaxOutputBytes + 5_000);
  });
});
