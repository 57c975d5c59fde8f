import { describe, expect, it } from "vitest";
import { anthropicJsonMode } from "../../src/providers/anthropic.ts";
import { retryAfterMs } from "../../src/providers/fetch-with-retry.ts";
import { parseJsonAnswer } from "../../src/providers/json-answer.ts";
import { openaiErrorMessage } from "../../src/providers/openai-compatible.ts";
import { oneLine } from "../../src/providers/provider-errors.ts";

describe("anthropicJsonMode", () => {
  it("forces a tool on models that accept it and uses output_config.format on the 5-series", () => {
    expect(anthropicJsonMode("claude-sonnet-4-6")).toBe("forced-tool");
    expect(anthropicJsonMode("claude-haiku-4-5-20251001")).toBe("forced-tool");
    expect(anthropicJsonMode("claude-3-7-sonnet-latest")).toBe("forced-tool");
    expect(anthropicJsonMode("claude-sonnet-5-5")).toBe("output-format");
    expect(anthropicJsonMode("claude-opus-5-5")).toBe("output-format");
    expect(anthropicJsonMode("claude-fable-5-1")).toBe("output-format");
  });
});

describe("retryAfterMs", () => {
  const headers = (init: Record<string, string>) => new Headers(init);
  it("prefers retry-after-ms, then seconds, then an HTTP date", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "1.5" }))).toBe(1500);
    const now = Date.parse("2026-11-21T10:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Sat, 21 Nov 2026 10:00:05 GMT" }), now)).toBe(
      5000,
    );
  });
  it("ignores missing, past, zero and absurd waits", () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "0" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "86400" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
  });
});

describe("parseJsonAnswer", () => {
  it("accepts bare and fenced JSON", () => {
    expect(parseJsonAnswer(' {"a":1} ')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonAnswer('```json\n{"a":1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonAnswer("```\n[1]\n```")).toEqual({ ok: true, value: [1] });
  });
  it("reports prose", () => {
    expect(parseJsonAnswer("Sure, here it is").ok).toBe(false);
  });
});

describe("error messages", () => {
  it("reads OpenAI, Ollama and plain-text error bodies", () => {
    expect(
      openaiErrorMessage('{"error":{"message":"bad","type":"invalid_request_error"}}'),
    ).toEqual({
      message: "bad",
      type: "invalid_request_error",
    });
    expect(openaiErrorMessage('{"error":"model \\"x\\" not found"}')).toEqual({
      message: 'model "x" not found',
    });
    expect(openaiErrorMessage("Bad Gateway")).toEqual({ message: "Bad Gateway" });
    expect(openaiErrorMessage("")).toEqual({ message: "(empty response)" });
  });
  it("flattens to one bounded line", () => {
    expect(oneLine("a\n  b\tc")).toBe("a b c");
    expect(oneLine("x".repeat(500), 10)).toBe(`${"x".repeat(9)}…`);
  });
});
