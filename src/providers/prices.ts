/**
 * USD per million tokens for the models whose prices could be checked against the providers'
 * own pages, and the lookup that lets config `prices` override them. A model that is not here
 * (and not in config) has no price: its cost is reported as unknown, never estimated. Pure.
 *
 * Cache writes are priced at the 5-minute TTL rate, the one `cache_control: {type: "ephemeral"}`
 * uses. Gemini's implicit caching has no write charge, so Gemini rows have `cacheWrite: 0`.
 */
import type { SpeConfig } from "../config/schema.ts";

export interface TokenRates {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface ModelPrice extends TokenRates {
  /**
   * Different rates for a request whose prompt (input + cache read + cache write tokens) is
   * over `aboveTokens`; they then apply to every token of that request, output included.
   */
  longPrompt?: TokenRates & { aboveTokens: number };
}

// Anthropic, from the model pages under https://platform.claude.com/docs/…/models/<model>/overview
// and the table on https://platform.claude.com/docs/en/about-claude/pricing (read 2026-11-21;
// the Sonnet 4.x and Haiku 4.5 rows from a copy of that table).
const sonnet5: ModelPrice = { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 };
const opus45to5: ModelPrice = { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 };
const sonnet4: ModelPrice = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };

const anthropic: Record<string, ModelPrice> = {
  // The model page lists cache reads at $0.20; price trackers audited against the live pricing
  // page report a cut to $0.10 effective 2026-10-07, which the stored pages predate. Using the
  // newer figure; override in config `prices` if your invoice says otherwise.
  "claude-sonnet-5-5": { ...sonnet5, cacheRead: 0.1 },
  "claude-sonnet-5": sonnet5,
  "claude-opus-5-5": { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 },
  "claude-opus-5": opus45to5,
  "claude-opus-4-8": opus45to5,
  "claude-opus-4-7": opus45to5,
  "claude-opus-4-6": opus45to5,
  "claude-opus-4-5": opus45to5,
  "claude-fable-5-1": { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 },
  "claude-fable-5": { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 },
  "claude-sonnet-4-6": sonnet4,
  "claude-sonnet-4-5": sonnet4,
  "claude-haiku-4-5": { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
};

// Google, Standard tier of https://ai.google.dev/gemini-api/docs/pricing (read 2026-11-21 via
// copies of that page; the page itself was not reachable from here). Output includes thinking.
const google: Record<string, ModelPrice> = {
  "gemini-2.5-pro": {
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    cacheWrite: 0,
    longPrompt: { aboveTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25, cacheWrite: 0 },
  },
  "gemini-2.5-flash": { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0 },
};

export const builtinPrices: Readonly<Record<string, Readonly<Record<string, ModelPrice>>>> = {
  anthropic,
  google,
  // claude-code reports its own cost. gemini-cli runs Gemini models and is priced at API
  // rates, though a free-tier Google login pays nothing.
  "gemini-cli": google,
};

/** `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`: dated snapshots share their alias's price. */
function withoutDateSuffix(model: string): string {
  return model.replace(/-\d{8}$/, "");
}

/**
 * The price of `model` on `provider`: config `prices["provider:model"]`, then
 * `prices["model"]`, then the built-in table. Undefined when unknown.
 */
export function findPrice(
  provider: string,
  model: string,
  overrides: SpeConfig["prices"] = {},
): ModelPrice | undefined {
  const bare = withoutDateSuffix(model);
  for (const key of [`${provider}:${model}`, model, `${provider}:${bare}`, bare]) {
    if (Object.hasOwn(overrides, key)) return overrides[key];
  }
  const table = builtinPrices[provider];
  if (!table) return undefined;
  return Object.hasOwn(table, model)
    ? table[model]
    : Object.hasOwn(table, bare)
      ? table[bare]
      : undefined;
}
