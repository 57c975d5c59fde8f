import { describe, expect, it } from "vitest";
import { computeCost, ratesFor } from "../../src/providers/cost.ts";
import { builtinPrices, findPrice } from "../../src/providers/prices.ts";
import { builtinProviders } from "../../src/config/providers.ts";
import type { ModelUsage } from "../../src/providers/types.ts";

const usage = (u: Partial<ModelUsage>): ModelUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  ...u,
});

describe("findPrice", () => {
  it("knows the default models", () => {
    expect(findPrice("anthropic", builtinProviders.anthropic.defaultModel)).toBeDefined();
    expect(findPrice("google", builtinProviders.google.defaultModel)).toBeDefined();
  });

  it("prices a dated snapshot like its alias", () => {
    expect(findPrice("anthropic", "claude-sonnet-4-5-20250929")).toEqual(
      findPrice("anthropic", "claude-sonnet-4-5"),
    );
  });

  it("has no price for an unknown model or provider", () => {
    expect(findPrice("anthropic", "claude-unreleased-9")).toBeUndefined();
    expect(findPrice("openai", "gpt-5.1")).toBeUndefined();
    expect(findPrice("claude-code", "claude-sonnet-5-5")).toBeUndefined();
  });

  it("lets config override, provider-qualified first", () => {
    const overrides = {
      "claude-sonnet-5-5": { input: 1, output: 1 },
      "anthropic:claude-sonnet-5-5": { input: 9, output: 9 },
      "llama3.3": { input: 0, output: 0 },
    };
    expect(findPrice("anthropic", "claude-sonnet-5-5", overrides)).toEqual({ input: 9, output: 9 });
    expect(findPrice("openai", "llama3.3", overrides)).toEqual({ input: 0, output: 0 });
  });

  it("every built-in price is complete and positive", () => {
    for (const table of Object.values(builtinPrices))
      for (const [model, price] of Object.entries(table)) {
        expect(price.input, model).toBeGreaterThan(0);
        expect(price.output, model).toBeGreaterThan(price.input);
        expect(price.cacheRead, model).toBeDefined();
        expect(price.cacheWrite, model).toBeDefined();
      }
  });
});

describe("computeCost", () => {
  it("is USD per million tokens of each kind", () => {
    const price = { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 };
    const cost = computeCost(
      usage({
        inputTokens: 1_000_000,
        outputTokens: 100_000,
        cacheReadTokens: 2_000_000,
        cacheWriteTokens: 400_000,
      }),
      price,
    );
    expect(cost).toBeCloseTo(2 + 1 + 0.2 + 1, 12);
  });

  it("is unknown without a price", () => {
    expect(computeCost(usage({ inputTokens: 10 }), undefined)).toBeUndefined();
  });

  it("is unknown when tokens of a kind have no rate, never a guess", () => {
    expect(
      computeCost(usage({ inputTokens: 10, cacheReadTokens: 5 }), { input: 1, output: 1 }),
    ).toBeUndefined();
    expect(computeCost(usage({ inputTokens: 10 }), { input: 1, output: 1 })).toBeCloseTo(
      10 / 1e6,
      15,
    );
  });

  it("is zero for no tokens", () => {
    expect(computeCost(usage({}), { input: 1, output: 1 })).toBe(0);
  });

  it("switches every token to the long-prompt rates over the threshold", () => {
    const price = findPrice("google", "gemini-2.5-pro")!;
    const short = usage({ inputTokens: 150_000, cacheReadTokens: 50_000, outputTokens: 1000 });
    const long = usage({ inputTokens: 150_000, cacheReadTokens: 50_001, outputTokens: 1000 });
    expect(ratesFor(short, price)).toBe(price);
    expect(ratesFor(long, price)).toBe(price.longPrompt);
    expect(computeCost(short, price)).toBeCloseTo(
      (150_000 * 1.25 + 50_000 * 0.125 + 1000 * 10) / 1e6,
      12,
    );
    expect(computeCost(long, price)).toBeCloseTo(
      (150_000 * 2.5 + 50_001 * 0.25 + 1000 * 15) / 1e6,
      12,
    );
  });
});
