/** The thinking table: each level and budget, per provider and model family. */
import { describe, expect, it } from "vitest";
import {
  anthropicThinking,
  claudeCodeThinking,
  geminiCliThinking,
  geminiThinking,
  openaiReasoningEffort,
} from "../../src/providers/thinking.ts";

describe("anthropic", () => {
  it("5-series: adaptive with the effort; a budget is a budget; off disables", () => {
    expect(anthropicThinking("claude-opus-5-5", "max", 32_000)).toEqual({
      thinking: { type: "adaptive" },
      effort: "max",
      maxTokens: 32_000,
    });
    expect(anthropicThinking("claude-sonnet-5", 40_000, 32_000)).toEqual({
      thinking: { type: "enabled", budget_tokens: 40_000 },
      maxTokens: 48_192,
    });
    expect(anthropicThinking("claude-fable-5-1", "off", 16_000)).toEqual({
      thinking: { type: "disabled" },
      maxTokens: 16_000,
    });
    expect(anthropicThinking("claude-sonnet-5-5", undefined, 16_000)).toEqual({
      maxTokens: 16_000,
    });
  });

  it("older models: a level is a budget, and max_tokens leaves room for the answer", () => {
    expect(anthropicThinking("claude-sonnet-4-5-20250929", "low", 16_000)).toEqual({
      thinking: { type: "enabled", budget_tokens: 2048 },
      maxTokens: 16_000,
    });
    expect(anthropicThinking("claude-opus-4-1", "high", 16_000)).toEqual({
      thinking: { type: "enabled", budget_tokens: 24_576 },
      maxTokens: 32_768,
    });
  });
});

describe("gemini", () => {
  it("2.5: budgets within each model's range; Pro cannot turn thinking off", () => {
    expect(geminiThinking("gemini-2.5-pro", "max")).toEqual({ thinkingBudget: 32_768 });
    expect(geminiThinking("gemini-2.5-flash", "max")).toEqual({ thinkingBudget: 24_576 });
    expect(geminiThinking("gemini-2.5-pro", "off")).toEqual({ thinkingBudget: 128 });
    expect(geminiThinking("gemini-2.5-flash-lite", "off")).toEqual({ thinkingBudget: 0 });
    expect(geminiThinking("gemini-2.5-flash", 3000)).toEqual({ thinkingBudget: 3000 });
  });

  it("3.x: levels, MINIMAL for off; unset sends nothing", () => {
    expect(geminiThinking("gemini-3-pro-preview", "low")).toEqual({ thinkingLevel: "LOW" });
    expect(geminiThinking("gemini-3.8-flash", "max")).toEqual({ thinkingLevel: "HIGH" });
    expect(geminiThinking("gemini-3.8-flash", "off")).toEqual({ thinkingLevel: "MINIMAL" });
    expect(geminiThinking("gemini-3.8-flash", undefined)).toBeUndefined();
  });

  it("Gemini CLI: both chat aliases replaced, each still extending chat-base", () => {
    expect(geminiCliThinking("medium")).toEqual({
      customAliases: {
        "chat-base-2.5": {
          extends: "chat-base",
          modelConfig: { generateContentConfig: { thinkingConfig: { thinkingBudget: 8192 } } },
        },
        "chat-base-3": {
          extends: "chat-base",
          modelConfig: { generateContentConfig: { thinkingConfig: { thinkingLevel: "MEDIUM" } } },
        },
      },
    });
    expect(geminiCliThinking(undefined)).toBeUndefined();
  });
});

describe("openai-compatible and Claude Code", () => {
  it("reasoning_effort from a level or the nearest level of a budget", () => {
    expect(openaiReasoningEffort("off")).toBe("none");
    expect(openaiReasoningEffort("medium")).toBe("medium");
    expect(openaiReasoningEffort("max")).toBe("high");
    expect(openaiReasoningEffort(2048)).toBe("low");
    expect(openaiReasoningEffort(8000)).toBe("medium");
    expect(openaiReasoningEffort(60_000)).toBe("high");
    expect(openaiReasoningEffort(undefined)).toBeUndefined();
  });

  it("--effort for a level, MAX_THINKING_TOKENS otherwise", () => {
    expect(claudeCodeThinking("high")).toEqual({ args: ["--effort", "high"], env: {} });
    expect(claudeCodeThinking(9000)).toEqual({
      args: [],
      env: { MAX_THINKING_TOKENS: "9000" },
    });
    expect(claudeCodeThinking("off")).toEqual({ args: [], env: { MAX_THINKING_TOKENS: "0" } });
  });
});
