/**
 * One built-in executor session against the mock model server: the model creates a file,
 * edits it with str_replace, views it, inserts a line and runs it through bash, then stops.
 * The files on disk, the tool_result blocks the mock received (order, ids, contents), the
 * summed usage and cost, the events and the cache breakpoints are all checked.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { expect, it } from "vitest";
import { computeCost } from "../../src/providers/cost.ts";
import { findPrice } from "../../src/providers/prices.ts";
import { addUsage, emptyUsage } from "../../src/providers/types.ts";
import { startAgentHarness } from "../helpers/agent-harness.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";

const editor = "str_replace_based_edit_tool";

function countCacheMarks(body: Anthropic.MessageCreateParams): number {
  return (JSON.stringify(body).match(/"cache_control"/g) ?? []).length;
}

it("creates, edits, views, inserts and runs, then reports what it did", async () => {
  await using agent = await startAgentHarness();
  await withGitRepo(async (repo) => {
    const usages = [1, 2, 3, 4, 5, 6].map((k) => ({
      input: 100 * k,
      output: 10 * k,
      cacheRead: 1000,
      cacheWrite: k === 1 ? 1500 : 200,
    }));
    agent.server.reply(
      "anthropic",
      mockReply.toolCall(
        editor,
        {
          command: "create",
          path: "src/greet.js",
          file_text: 'const name = "world";\nconsole.log(`hello ${name}`);\n',
        },
        { id: "toolu_create", text: "I'll create the file.", usage: usages[0] },
      ),
      mockReply.toolCall(
        editor,
        {
          command: "str_replace",
          path: "src/greet.js",
          old_str: 'const name = "world";',
          new_str: 'const name = process.argv[2] ?? "$& spe";',
        },
        { id: "toolu_replace", usage: usages[1] },
      ),
      mockReply.toolCall(
        editor,
        { command: "view", path: `${repo.dir}/src/greet.js` },
        { id: "toolu_view", usage: usages[2] },
      ),
      mockReply.toolCall(
        editor,
        { command: "insert", path: "src/greet.js", insert_line: 0, insert_text: "// greets" },
        { id: "toolu_insert", usage: usages[3] },
      ),
      mockReply.toolCall(
        "bash",
        { command: "node src/greet.js && cat src/greet.js | wc -l && echo oops >&2" },
        { id: "toolu_bash", usage: usages[4] },
      ),
      mockReply.text("Created src/greet.js and ran it.", { usage: usages[5] }),
    );

    const { result, events } = await agent.run(repo.dir, {
      system: "You implement one step.",
      prompt: "Create src/greet.js.",
    });

    expect(await repo.read("src/greet.js")).toBe(
      '// greets\nconst name = process.argv[2] ?? "$& spe";\nconsole.log(`hello ${name}`);\n',
    );

    // Each request after the first carries the previous turn's results, in order, by id.
    expect(agent.server.requestsTo("anthropic")).toHaveLength(6);
    expect(agent.toolResults(1)).toEqual([
      {
        type: "tool_result",
        tool_use_id: "toolu_create",
        content: "File created successfully at: src/greet.js",
        cache_control: { type: "ephemeral" },
      },
    ]);
    const ids = [1, 2, 3, 4, 5].map((i) => agent.toolResults(i).map((r) => r.tool_use_id));
    expect(ids).toEqual([
      ["toolu_create"],
      ["toolu_replace"],
      ["toolu_view"],
      ["toolu_insert"],
      ["toolu_bash"],
    ]);
    const [, replaced, viewed, inserted, ran] = [0, 1, 2, 3, 4].map(
      (i) => agent.toolResults(i + 1)[0],
    );
    expect(replaced?.content).toBe(
      "Successfully replaced text at exactly one location in src/greet.js (now lines 1–1).",
    );
    expect(viewed?.content).toBe(
      '1: const name = process.argv[2] ?? "$& spe";\n2: console.log(`hello ${name}`);',
    );
    expect(inserted?.content).toBe("Inserted text after line 0 of src/greet.js (now lines 1–1).");
    expect(ran?.content).toBe("hello $& spe\n3\noops\n[exit code 0]");
    for (const i of [1, 2, 3, 4, 5]) expect(agent.toolResults(i)[0]?.is_error).toBeUndefined();

    // The conversation grows by an assistant message and a user message per turn.
    const bodies = agent.bodies();
    expect(bodies.map((b) => b.messages.length)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(bodies[5]?.messages[1]).toMatchObject({
      role: "assistant",
      content: [
        { type: "text", text: "I'll create the file." },
        { type: "tool_use", id: "toolu_create", name: editor },
      ],
    });
    for (const body of bodies) {
      expect(body.tools).toEqual([
        { type: "text_editor_20250728", name: editor },
        { type: "bash_20250124", name: "bash" },
      ]);
      expect(body.system).toEqual([
        { type: "text", text: "You implement one step.", cache_control: { type: "ephemeral" } },
      ]);
      expect(body.messages[0]).toEqual({
        role: "user",
        content: [
          { type: "text", text: "Create src/greet.js.", cache_control: { type: "ephemeral" } },
        ],
      });
      expect(countCacheMarks(body)).toBeLessThanOrEqual(4);
    }
    // The moving breakpoints sit on the two latest tool-result messages only.
    const marked = (bodies[5]?.messages ?? []).map((m) =>
      JSON.stringify(m.content).includes("cache_control"),
    );
    expect(marked).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      true,
    ]);

    // Usage and cost are the sums over the six turns.
    const perTurn = usages.map((u) => ({
      inputTokens: u.input,
      outputTokens: u.output,
      cacheReadTokens: u.cacheRead,
      cacheWriteTokens: u.cacheWrite,
    }));
    const price = findPrice("anthropic", "claude-sonnet-5-5");
    expect(result).toMatchObject({
      outcome: "done",
      turns: 6,
      toolCalls: 5,
      summary: "Created src/greet.js and ran it.",
      model: "claude-sonnet-5-5",
      usage: perTurn.reduce(addUsage, emptyUsage()),
    });
    const cost = perTurn.reduce((sum, usage) => sum + (computeCost(usage, price) ?? NaN), 0);
    expect(cost).toBeGreaterThan(0);
    expect(result.costUsd).toBeCloseTo(cost, 12);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);

    expect(events.filter((e) => e.type === "turn")).toEqual(
      [1, 2, 3, 4, 5, 6].map((turn) => ({ type: "turn", turn })),
    );
    expect(events.filter((e) => e.type === "tool")).toEqual([
      { type: "tool", name: editor, summary: "create src/greet.js", ok: true },
      { type: "tool", name: editor, summary: "str_replace src/greet.js", ok: true },
      { type: "tool", name: editor, summary: "view src/greet.js", ok: true },
      { type: "tool", name: editor, summary: "insert src/greet.js", ok: true },
      {
        type: "tool",
        name: "bash",
        summary: "node src/greet.js && cat src/greet.js | wc -l && echo oops >&2 (exit 0)",
        ok: true,
      },
    ]);
    const text = events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(text).toBe("I'll create the file.Created src/greet.js and ran it.");
    // src/ holds the new file and nothing else (no temp or backup files).
    expect(await fs.readdir(path.join(repo.dir, "src"))).toEqual(["greet.js"]);
  });
});
