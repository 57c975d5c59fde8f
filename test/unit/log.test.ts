import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, shouldUseColor } from "../../src/log.ts";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe("logger", () => {
  it("colours only a terminal and never with NO_COLOR", () => {
    expect(shouldUseColor({}, { isTTY: true })).toBe(true);
    expect(shouldUseColor({ NO_COLOR: "1" }, { isTTY: true })).toBe(false);
    expect(shouldUseColor({ NO_COLOR: "" }, { isTTY: true })).toBe(true);
    expect(shouldUseColor({}, { isTTY: false })).toBe(false);
  });

  it("keeps stdout for data: under --json only the JSON document goes there", () => {
    const out = capture();
    const err = capture();
    const log = createLogger({ stdout: out.stream, stderr: err.stream, json: true });
    log.result("human report");
    log.info("progress");
    log.json({ ok: true });
    expect(JSON.parse(out.text())).toEqual({ ok: true });
    expect(err.text()).toBe("human report\nprogress\n");
  });

  it("--quiet silences info but not warnings or errors", () => {
    const out = capture();
    const err = capture();
    const log = createLogger({ stdout: out.stream, stderr: err.stream, quiet: true });
    log.info("progress");
    log.warn("careful");
    log.error("failed");
    log.debug("trace");
    expect(err.text()).toBe("warning: careful\nerror: failed\n");
  });
});
