import type Anthropic from "@anthropic-ai/sdk";
import { expect, it } from "vitest";
import {
  maxCacheBreakpoints,
  moveCacheBreakpoints,
  movingBreakpoints,
} from "../../src/agent/cache-breakpoints.ts";

const mark = { type: "ephemeral" } as const;

function conversation(turns: number): Anthropic.MessageParam[] {
  const messages: Anthropic.MessageParam[] = [
    { role: "user", content: [{ type: "text", text: "task", cache_control: mark }] },
  ];
  for (let i = 0; i < turns; i += 1) {
    messages.push({
      role: "assistant",
      content: [{ type: "tool_use", id: `t${i}`, name: "bash", input: {} }],
    });
    messages.push({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: `t${i}`, content: "a" },
        { type: "tool_result", tool_use_id: `t${i}b`, content: "b" },
      ],
    });
  }
  return messages;
}

const markedIndexes = (messages: Anthropic.MessageParam[]) =>
  messages.flatMap((m, i) => (JSON.stringify(m.content).includes("cache_control") ? [i] : []));

it("keeps the first message's mark and moves the others to the latest tool results", () => {
  const messages = conversation(4);
  moveCacheBreakpoints(messages, movingBreakpoints(2));
  expect(markedIndexes(messages)).toEqual([0, 6, 8]);
  // Only the last block of a message carries the mark.
  expect(messages[8]?.content).toEqual([
    { type: "tool_result", tool_use_id: "t3", content: "a" },
    { type: "tool_result", tool_use_id: "t3b", content: "b", cache_control: mark },
  ]);
  messages.push(...conversation(5).slice(9));
  moveCacheBreakpoints(messages, movingBreakpoints(2));
  expect(markedIndexes(messages)).toEqual([0, 8, 10]);
});

it("never exceeds the API's four breakpoints", () => {
  expect(maxCacheBreakpoints).toBe(4);
  expect(movingBreakpoints(2)).toBe(2);
  expect(movingBreakpoints(1)).toBe(3);
  expect(movingBreakpoints(5)).toBe(0);
  const messages = conversation(1);
  moveCacheBreakpoints(messages, 3);
  expect(markedIndexes(messages)).toEqual([0, 2]);
});
