/**
 * A model can stream tool input that is not JSON (`input_json_delta`s that do not parse). The
 * call is not run; the model gets an `is_error` result saying why, the assistant message goes
 * back with an empty input object (the API accepts nothing else), and the session goes on.
 */
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

it("answers a tool call whose input is not JSON with an error result and goes on", async () => {
  await withTempDir(async (dir) => {
    agent.server.reply(
      "anthropic",
      {
        toolCalls: [
          {
            id: "toolu_bad",
            name: "str_replace_based_edit_tool",
            input: {},
            rawInputJson: '{"command": "create", "path": "a.txt", "file_text": "x" oops}',
          },
          { id: "toolu_good", name: "bash", input: { command: "echo ran > ran.txt" } },
        ],
      },
      mockReply.toolCall(
        "str_replace_based_edit_tool",
        { command: "create", path: "a.txt", file_text: "fixed\n" },
        { id: "toolu_retry" },
      ),
      mockReply.text("Created a.txt."),
    );

    const { result, events } = await agent.run(dir);

    const [bad, good] = agent.toolResults(1);
    expect(bad).toMatchObject({ tool_use_id: "toolu_bad", is_error: true });
    expect(bad?.content).toMatch(
      /^Error: the input of this str_replace_based_edit_tool call is not valid JSON \(.+\), so it was not run; send the call again with its input as one JSON object$/,
    );
    expect(good).toMatchObject({
      tool_use_id: "toolu_good",
      content: "(no output)\n[exit code 0]",
    });
    expect(good?.is_error).toBeUndefined();
    // The assistant turn is sent back with an object input, as the API requires.
    const echoed = agent.bodies()[1]?.messages[1];
    expect(echoed?.role).toBe("assistant");
    expect(echoed?.content).toContainEqual(
      expect.objectContaining({ type: "tool_use", id: "toolu_bad", input: {} }),
    );
    expect(await fs.readFile(path.join(dir, "a.txt"), "utf8")).toBe("fixed\n");
    expect(await fs.readFile(path.join(dir, "ran.txt"), "utf8")).toBe("ran\n");
    expect(result).toMatchObject({ outcome: "done", turns: 3, toolCalls: 3 });
    expect(events.filter((e) => e.type === "tool")[0]).toEqual({
      type: "tool",
      name: "str_replace_based_edit_tool",
      summary: "(input is not JSON)",
      ok: false,
    });
  });
});
