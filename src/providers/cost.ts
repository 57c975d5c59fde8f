/** What a call cost, from its usage and a price. Pure. */
import type { ModelPrice, TokenRates } from "./prices.ts";
import type { ModelUsage } from "./types.ts";

const perMillion = 1_000_000;

/** The rates that apply to this request: the long-prompt tier when its prompt is over the line. */
export function ratesFor(usage: ModelUsage, price: ModelPrice): TokenRates {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return price.longPrompt && prompt > price.longPrompt.aboveTokens ? price.longPrompt : price;
}

/**
 * USD for `usage` at `price`; undefined when the price is unknown, or when tokens of a kind
 * were used whose rate the price does not give (a guess would be a made-up number).
 */
export function computeCost(usage: ModelUsage, price: ModelPrice | undefined): number | undefined {
  if (!price) return undefined;
  const rates = ratesFor(usage, price);
  const parts: [tokens: number, rate: number | undefined][] = [
    [usage.inputTokens, rates.input],
    [usage.outputTokens, rates.output],
    [usage.cacheReadTokens, rates.cacheRead],
    [usage.cacheWriteTokens, rates.cacheWrite],
  ];
  let total = 0;
  for (const [tokens, rate] of parts) {
    if (tokens === 0) continue;
    if (rate === undefined) return undefined;
    total += (tokens * rate) / perMillion;
  }
  return total;
}
