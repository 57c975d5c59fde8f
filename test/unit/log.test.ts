import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, laneLogger, shouldUseColor, visibleText } from "../../src/log.ts";

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

describe("progress lines", () => {
  it("rewrite one terminal line, print lines elsewhere, and stay silent under --quiet or --json", () => {
    const tty = capture();
    const ttyLog = createLogger({
      stdout: capture().stream,
      stderr: tty.stream,
      stderrIsTTY: true,
    });
    ttyLog.progress("reading 1/2");
    ttyLog.progress("reading 2/2");
    ttyLog.info("done");
    expect(tty.text()).toBe("\r\u001b[Kreading 1/2\r\u001b[Kreading 2/2\r\u001b[Kdone\n");

    const pipe = capture();
    createLogger({ stdout: capture().stream, stderr: pipe.stream }).progress("reading 1/2");
    expect(pipe.text()).toBe("reading 1/2\n");

    for (const options of [{ quiet: true }, { json: true }]) {
      const silent = capture();
      createLogger({
        stdout: capture().stream,
        stderr: silent.stream,
        stderrIsTTY: true,
        ...options,
      }).progress("x");
      expect(silent.text()).toBe("");
    }
  });

  it("give each step in flight its own terminal line (exec --parallel), plain lines elsewhere", () => {
    const tty = capture();
    const log = createLogger({ stdout: capture().stream, stderr: tty.stream, stderrIsTTY: true });
    const s1 = laneLogger(log, "S1");
    const s2 = laneLogger(log, "S2");
    s1.progress("S1: bash npm test");
    s2.progress("S2: validating: npm test");
    s1.progress("S1: validating: npm test");
    s2.progress(undefined);
    log.info("S2: committed");
    const up = "\u001b[1A\u001b[K";
    expect(tty.text()).toBe(
      [
        "\r\u001b[KS1: bash npm test",
        "\r\u001b[KS1: bash npm test\nS2: validating: npm test",
        `\r\u001b[K${up}S1: validating: npm test\nS2: validating: npm test`,
        `\r\u001b[K${up}S1: validating: npm test`,
        "\r\u001b[KS2: committed\n",
      ].join(""),
    );

    const pipe = capture();
    const plain = createLogger({ stdout: capture().stream, stderr: pipe.stream });
    laneLogger(plain, "S1").progress("S1: bash ls");
    laneLogger(plain, "S2").progress(undefined);
    expect(pipe.text()).toBe("S1: bash ls\n");
  });

  it("shows control characters in diagnostics as escapes, never sends them to the terminal", () => {
    const out = capture();
    const err = capture();
    const log = createLogger({ stdout: out.stream, stderr: err.stream, color: true });
    const title = "Fix \u001b]0;pwned\u0007 title\rover\u009b2J";
    log.info(`spec: ${title}`);
    log.warn(title);
    log.error(title);
    log.success(`done\tok`);
    log.result(`data ${title}`);
    const shown = err.text();
    // Our own colours (SGR) remain; nothing of the title reaches the terminal raw.
    expect(shown.replaceAll(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g"), "")).toBe(
      [
        "spec: Fix \\x1b]0;pwned\\x07 title\\x0dover\\x9b2J",
        "warning: Fix \\x1b]0;pwned\\x07 title\\x0dover\\x9b2J",
        "error: Fix \\x1b]0;pwned\\x07 title\\x0dover\\x9b2J",
        "done\tok",
        "",
      ].join("\n"),
    );
    expect(out.text()).toBe(`data ${title}\n`);
    expect(visibleText("two\nlines\tand tab")).toBe("two\nlines\tand tab");
    expect(visibleText("admin\u202e\u2066txt.exe\u2069 ok\u2028é")).toBe(
      "admin\\u{202e}\\u{2066}txt.exe\\u{2069} ok\\u{2028}é",
    );
    const jsonErr = capture();
    createLogger({ stdout: out.stream, stderr: jsonErr.stream, json: true }).result(title);
    expect(jsonErr.text()).toBe("Fix \\x1b]0;pwned\\x07 title\\x0dover\\x9b2J\n");
  });
});
