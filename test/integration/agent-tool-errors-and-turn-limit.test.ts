/**
 * What the model gets wrong comes back to it as `is_error` tool results and the session goes
 * on: an unknown tool, malformed inputs, failed edits, a tool call cut off by max_tokens. A
 * model that never stops calling tools is stopped at `maxTurns` with outcome "turn-limit".
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../helpers/agent-harness.ts";
import { withTempDir } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";

const editor = "str_replace_based_edit_tool";

let agent: AgentHarness;
beforeEach(async () => {
  agent = await startAgentHarness();
});
afterEach(() => agent.server.close());

it("answers unknown tools, malformed input and failed edits with error results and goes on", async () => {
  await withTempDir(async (dir) => {
    await fs.writeFile(path.join(dir, "a.txt"), "same\nsame\n");
    const calls: [name: string, input: unknown, error: string | RegExp][] = [
      [
        "python",
        { code: "1+1" },
        'Error: unknown tool "python"; the tools are str_replace_based_edit_tool and bash',
      ],
      [
        editor,
        { command: "view" },
        /^Error: invalid input for str_replace_based_edit_tool: path: .*expected string/,
      ],
      [
        editor,
        { command: "create", path: 42, file_text: "x" },
        /path: .*expected string, received number/,
      ],
      [
        editor,
        { command: "insert", path: "a.txt", insert_line: "3", insert_text: "x" },
        /insert_line: .*expected number, received string/,
      ],
      [
        editor,
        { command: "insert", path: "a.txt", insert_line: 1 },
        "Error: insert needs insert_text: the text to insert",
      ],
      [
        editor,
        { command: "insert", path: "a.txt", insert_line: 9, insert_text: "x" },
        /insert_line 9 is out of range: the file has 2 lines/,
      ],
      [
        editor,
        { command: "undo_edit", path: "a.txt" },
        /^Error: undo_edit is not part of text_editor_20250728; the commands are view, create, str_replace, insert$/,
      ],
      [editor, "view a.txt", /^Error: command is missing/],
      [
        editor,
        { command: "str_replace", path: "a.txt", old_str: "same", new_str: "x" },
        "Error: Found 2 matches for replacement text (starting on lines 1, 2). Please provide more context to make a unique match.",
      ],
      [
        editor,
        { command: "str_replace", path: "a.txt", old_str: "other", new_str: "x" },
        "Error: No match found for replacement. Please check your text and try again.",
      ],
      [
        editor,
        { command: "str_replace", path: "a.txt", old_str: "", new_str: "x" },
        /old_str is empty/,
      ],
      [editor, { command: "view", path: "nope.txt" }, "Error: File not found: nope.txt"],
      [
        editor,
        { command: "str_replace", path: "nope.txt", old_str: "a", new_str: "b" },
        "Error: File not found: nope.txt",
      ],
      [
        editor,
        { command: "view", path: "a.txt", view_range: [2, 1] },
        /view_range end 1 is before its start 2/,
      ],
      [
        editor,
        { command: "view", path: "a.txt", view_range: [7, -1] },
        /view_range start 7 is out of range/,
      ],
      [editor, { command: "create", path: ".", file_text: "x" }, "Error: . is a directory"],
      ["bash", {}, "Error: command is required (or restart: true)"],
      ["bash", { command: 7 }, /^Error: invalid input for bash: command: /],
    ];
    agent.server.reply(
      "anthropic",
      { toolCalls: calls.map(([name, input], i) => ({ id: `toolu_${i}`, name, input })) },
      mockReply.toolCall(
        editor,
        { command: "view", path: "a.txt", view_range: [2, -1] },
        { id: "toolu_ok" },
      ),
      mockReply.text("Recovered."),
    );

    const { result, events } = await agent.run(dir);

    const results = agent.toolResults(1);
    expect(results).toHaveLength(calls.length);
    for (const [i, [name, input, error]] of calls.entries()) {
      const label = `${name} ${JSON.stringify(input)}`;
      expect(results[i]?.tool_use_id, label).toBe(`toolu_${i}`);
      expect(results[i]?.is_error, label).toBe(true);
      if (typeof error === "string") expect(results[i]?.content, label).toBe(error);
      else expect(results[i]?.content, label).toMatch(error);
    }
    expect(await fs.readFile(path.join(dir, "a.txt"), "utf8")).toBe("same\nsame\n");
    expect(agent.toolResults(2)).toEqual([
      {
        type: "tool_result",
        tool_use_id: "toolu_ok",
        content: "2: same",
        cache_control: { type: "ephemeral" },
      },
    ]);
    expect(result).toMatchObject({
      outcome: "done",
      turns: 3,
      toolCalls: calls.length + 1,
      summary: "Recovered.",
    });
    const toolEvents = events.filter((e) => e.type === "tool");
    expect(toolEvents.slice(0, 3)).toEqual([
      { type: "tool", name: "python", summary: '{"code":"1+1"}', ok: false },
      { type: "tool", name: editor, summary: "view", ok: false },
      { type: "tool", name: editor, summary: "create", ok: false },
    ]);
    expect(toolEvents.at(-1)).toEqual({
      type: "tool",
      name: editor,
      summary: "view a.txt",
      ok: true,
    });
  });
});

it("does not run a tool call that max_tokens cut off, and says why", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      {
        toolCalls: [
          { id: "toolu_whole", name: "bash", input: { command: "echo whole > whole.txt" } },
          {
            id: "toolu_cut",
            name: editor,
            input: { command: "create", path: "big.txt", file_text: "partial" },
          },
        ],
        stopReason: "max_tokens",
      },
      mockReply.text("I'll do it in smaller pieces."),
    );
    const { result } = await agent.run(dir);
    const [whole, cut] = agent.toolResults(1);
    expect(whole).toMatchObject({
      tool_use_id: "toolu_whole",
      content: "(no output)\n[exit code 0]",
    });
    expect(cut).toMatchObject({ tool_use_id: "toolu_cut", is_error: true });
    expect(cut?.content).toMatch(
      /^Error: your answer reached max_tokens while writing this tool call/,
    );
    await expect(fs.access(path.join(dir, "big.txt"))).rejects.toThrow();
    expect(await fs.readFile(path.join(dir, "whole.txt"), "utf8")).toBe("whole\n");
    expect(result.outcome).toBe("done");
  });
});

it("stops a model that never stops calling tools at maxTurns, after running the last turn's calls", async () => {
  await withTempDir(async (dir) => {
    let n = 0;
    agent.server.handle("anthropic", () => {
      n += 1;
      return mockReply.toolCall(
        "bash",
        { command: "echo turn >> turns.txt" },
        { text: `Turn ${n}, once more.` },
      );
    });
    const { result, events } = await agent.run(dir, { executor: agent.executor({ maxTurns: 3 }) });
    expect(result).toMatchObject({
      outcome: "turn-limit",
      turns: 3,
      toolCalls: 3,
      summary: "Turn 3, once more.",
      usage: { inputTokens: 30, outputTokens: 15, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    expect(agent.server.requestsTo("anthropic")).toHaveLength(3);
    expect(await fs.readFile(path.join(dir, "turns.txt"), "utf8")).toBe("turn\nturn\nturn\n");
    expect(events.filter((e) => e.type === "turn").map((e) => e.type === "turn" && e.turn)).toEqual(
      [1, 2, 3],
    );
  });
});
