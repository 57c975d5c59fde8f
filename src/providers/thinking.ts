/**
 * Thinking budgets: config `thinking.<phase>` — a level (`off | low | medium | high | max`) or a
 * token budget — mapped to each provider's own request field, as the SDKs type them
 * (@anthropic-ai/sdk 1.11 `ThinkingConfigParam` and `OutputConfig.effort`, @google/genai 2.32
 * `ThinkingConfig`, the OpenAI chat completions `reasoning_effort`) and the agent CLIs' own
 * settings (Claude Code `--effort` and `MAX_THINKING_TOKENS`, Gemini CLI `modelConfigs`). Unset
 * sends nothing: the model's default. Pure.
 */
import type Anthropic from "@anthropic-ai/sdk";

export type ThinkingLevel = "off" | "low" | "medium" | "high" | "max";
/** A level, or a token budget (at least 1024). */
export type ThinkingSetting = ThinkingLevel | number;

/** The budgets that stand for the levels where a model takes only a budget. */
export const levelBudgets: Record<Exclude<ThinkingLevel, "off">, number> = {
  low: 2048,
  medium: 8192,
  high: 24_576,
  max: 32_768,
};

/** Room left for the answer itself when a thinking budget counts toward `max_tokens`. */
const answerRoom = 8192;

/** The 5-series think adaptively and take an effort; older models take a budget only. */
export function anthropicAdaptive(model: string): boolean {
  return /^claude-[a-z]+-5(-|$)/.test(model);
}

export interface AnthropicThinking {
  thinking?: Anthropic.ThinkingConfigParam;
  effort?: "low" | "medium" | "high" | "max";
  /** `max_tokens`, raised so a budget leaves room for the answer. */
  maxTokens: number;
}

export function anthropicThinking(
  model: string,
  setting: ThinkingSetting | undefined,
  maxTokens: number,
): AnthropicThinking {
  if (setting === undefined) return { maxTokens };
  if (setting === "off") return { thinking: { type: "disabled" }, maxTokens };
  const budget = (tokens: number): AnthropicThinking => ({
    thinking: { type: "enabled", budget_tokens: tokens },
    maxTokens: Math.max(maxTokens, tokens + answerRoom),
  });
  if (typeof setting === "number") return budget(setting);
  if (anthropicAdaptive(model))
    return { thinking: { type: "adaptive" }, effort: setting, maxTokens };
  return budget(levelBudgets[setting]);
}

/** Whether a request with this setting thinks (forced tool use is refused while thinking). */
export function anthropicThinks(setting: ThinkingSetting | undefined): boolean {
  return setting !== undefined && setting !== "off";
}

/** Gemini `thinkingConfig` (field names and enum values as @google/genai sends them). */
export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: "MINIMAL" | "LOW" | "MEDIUM" | "HIGH";
}

const geminiLevels = {
  off: "MINIMAL",
  low: "LOW",
  medium: "MEDIUM",
  high: "HIGH",
  max: "HIGH",
} as const;

/**
 * Gemini 2.5 takes a budget (Pro 128–32768 and cannot turn thinking off; Flash 0–24576);
 * Gemini 3 takes a level (MINIMAL is its least). A number is always sent as a budget.
 */
export function geminiThinking(
  model: string,
  setting: ThinkingSetting | undefined,
): GeminiThinkingConfig | undefined {
  if (setting === undefined) return undefined;
  if (typeof setting === "number") return { thinkingBudget: setting };
  if (!/^gemini-2\.5/.test(model)) return { thinkingLevel: geminiLevels[setting] };
  const pro = /pro/.test(model);
  if (setting === "off") return { thinkingBudget: pro ? 128 : 0 };
  return { thinkingBudget: Math.min(levelBudgets[setting], pro ? 32_768 : 24_576) };
}

/** OpenAI chat completions `reasoning_effort`; a budget maps to the nearest level. */
export function openaiReasoningEffort(
  setting: ThinkingSetting | undefined,
): "none" | "low" | "medium" | "high" | undefined {
  if (setting === undefined) return undefined;
  if (setting === "off") return "none";
  if (setting === "max") return "high";
  if (typeof setting !== "number") return setting;
  return setting <= levelBudgets.low ? "low" : setting <= levelBudgets.medium ? "medium" : "high";
}

/** Claude Code: `--effort` for a level; `MAX_THINKING_TOKENS` for a budget or for off. */
export function claudeCodeThinking(setting: ThinkingSetting | undefined): {
  args: string[];
  env: Record<string, string>;
} {
  if (setting === undefined) return { args: [], env: {} };
  if (setting === "off") return { args: [], env: { MAX_THINKING_TOKENS: "0" } };
  if (typeof setting === "number")
    return { args: [], env: { MAX_THINKING_TOKENS: String(setting) } };
  return { args: ["--effort", setting], env: {} };
}

/**
 * Gemini CLI 0.61 settings `modelConfigs.customAliases` replacing the thinking of its chat
 * aliases (`chat-base-2.5` for 2.5 models, `chat-base-3` for 3.x), each still extending
 * `chat-base`.
 */
export function geminiCliThinking(
  setting: ThinkingSetting | undefined,
): Record<string, unknown> | undefined {
  if (setting === undefined) return undefined;
  const alias = (thinkingConfig: GeminiThinkingConfig | undefined) => ({
    extends: "chat-base",
    modelConfig: { generateContentConfig: { thinkingConfig } },
  });
  return {
    customAliases: {
      // Pro and Flash share this alias: the limits both take.
      "chat-base-2.5": alias(geminiThinking("gemini-2.5-flash", setting === "off" ? 128 : setting)),
      "chat-base-3": alias(geminiThinking("gemini-3", setting)),
    },
  };
}
