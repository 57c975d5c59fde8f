import { describe, expect, it } from "vitest";
import { readSse, type SseMessage } from "../../src/providers/sse.ts";

async function parse(...chunks: string[]): Promise<SseMessage[]> {
  async function* body() {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  }
  const out: SseMessage[] = [];
  for await (const message of readSse(body())) out.push(message);
  return out;
}

describe("readSse", () => {
  it("reads event and data lines", async () => {
    expect(await parse("event: ping\ndata: {}\n\ndata: [DONE]\n\n")).toEqual([
      { event: "ping", data: "{}" },
      { event: undefined, data: "[DONE]" },
    ]);
  });

  it("handles CRLF, CR, a BOM, comments and fields without a space", async () => {
    expect(await parse("\uFEFF: keep-alive\r\ndata:a\r\n\r\ndata: b\r\rdata: c\n\n")).toEqual([
      { event: undefined, data: "a" },
      { event: undefined, data: "b" },
      { event: undefined, data: "c" },
    ]);
  });

  it("joins multi-line data and survives any chunk boundary", async () => {
    const text = 'event: delta\ndata: {"a":\ndata: 1}\r\n\r\ndata: é\n\n';
    const bytes = new TextEncoder().encode(text);
    const expected = [
      { event: "delta", data: '{"a":\n1}' },
      { event: undefined, data: "é" },
    ];
    for (let cut = 1; cut < bytes.length; cut++) {
      async function* body() {
        yield bytes.slice(0, cut);
        yield bytes.slice(cut);
      }
      const out: SseMessage[] = [];
      for await (const message of readSse(body())) out.push(message);
      expect(out, `cut at ${cut}`).toEqual(expected);
    }
  });

  it("drops an incomplete event at the end of the stream", async () => {
    expect(await parse("data: complete\n\ndata: incompl")).toEqual([
      { event: undefined, data: "complete" },
    ]);
  });

  it("ignores events without data", async () => {
    expect(await parse("event: empty\n\n")).toEqual([]);
  });
});
