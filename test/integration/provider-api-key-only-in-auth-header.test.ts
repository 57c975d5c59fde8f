/**
 * API keys go to the API in its auth header and nowhere else: not in request bodies, paths or
 * other headers, not in errors, not in --debug logs or anything printed, not in files an agent
 * CLI run leaves behind. Every captured byte is searched for the dummy keys.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withTempDir } from "../helpers/git-repo.ts";
import {
  mockReply,
  startMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

const keys = {
  anthropic: "sk-ant-DUMMYKEY-7f3a91c4",
  gemini: "AIzaDUMMYKEY-2c8e44d0",
  openai: "sk-openai-DUMMYKEY-5b1d07e2",
};
const authHeader = {
  anthropic: ["authorization", `Bearer ${keys.anthropic}`],
  gemini: ["x-goog-api-key", keys.gemini],
  openai: ["authorization", `Bearer ${keys.openai}`],
} as const;

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

function memoryStream(sink: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      sink.push(String(chunk));
      done();
    },
  });
}

it("keeps every key out of bodies, errors, logs, output and files", async () => {
  const captured: string[] = [];
  const log = createLogger({
    stdout: memoryStream(captured),
    stderr: memoryStream(captured),
    debug: true,
  });
  const printed: string[] = [];
  for (const stream of [process.stdout, process.stderr] as const) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  }
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, method).mockImplementation(
      (...args: unknown[]) => void printed.push(inspect(args)),
    );

  const config = configSchema.parse({
    providers: {
      anthropic: { baseUrl: server.anthropicBaseUrl, maxRetries: 1 },
      google: { baseUrl: server.geminiBaseUrl, maxRetries: 1 },
      openai: { baseUrl: server.openaiBaseUrl, maxRetries: 1 },
    },
  });
  const env = {
    ANTHROPIC_API_KEY: keys.anthropic,
    GEMINI_API_KEY: keys.gemini,
    OPENAI_API_KEY: keys.openai,
  };
  const outcomes: unknown[] = [];
  try {
    for (const [ref, api] of [
      ["anthropic", "anthropic"],
      ["google", "gemini"],
      ["openai:gpt-5.1", "openai"],
    ] as const) {
      const provider = await createProvider(ref, config, env, { log, retryDelayMs: 5 });
      server.reply(
        api,
        mockReply.fault(429, "slow down", { headers: { "retry-after-ms": "5" } }),
        mockReply.text("streamed answer"),
        mockReply.fault(400, "bad request"),
        mockReply.fault(401, "invalid x-api-key"),
        mockReply.text("this answer is cut off in the middle of its sentence", {
          truncateAfterEvents: 2,
        }),
      );
      const call = (onText?: (d: string) => void) =>
        provider.call({ system: "s", context: "c", prompt: "p", onText }).then(
          (result) => outcomes.push(result),
          (error: unknown) =>
            outcomes.push(error, inspect(error, { depth: 8 }), (error as Error).stack),
        );
      await call(() => {});
      await call();
      await call();
      await call(() => {});
    }
  } finally {
    vi.restoreAllMocks();
  }
  expect(outcomes.filter((o) => o instanceof Error).length).toBeGreaterThanOrEqual(9);

  const everything = [
    ...captured,
    ...printed,
    ...outcomes.map((o) => (typeof o === "string" ? o : inspect(o, { depth: 8 }))),
  ].join("\n");
  for (const key of Object.values(keys)) expect(everything).not.toContain(key);
  expect(captured.join("")).toContain("retrying"); // the debug log did record the retries

  for (const request of server.requests) {
    const api = request.api!;
    const [header, value] = authHeader[api];
    expect(request.headers[header]).toBe(value);
    const elsewhere = JSON.stringify({
      path: request.path,
      body: request.rawBody,
      headers: Object.entries(request.headers).filter(([name]) => name !== header),
    });
    for (const key of Object.values(keys)) expect(elsewhere).not.toContain(key);
  }
});

it("agent CLIs get their key in the environment only, and leave it in no file or error", async () => {
  await withTempDir(async (dir) => {
    const cli = await setupFakeCli(
      dir,
      [
        { bin: "claude", result: "ok", files: { "out.txt": "done\n" } },
        { bin: "claude", isError: true, result: "Invalid API key · Please run /login" },
        { bin: "gemini", isError: true, result: "API key not valid. Please pass a valid API key." },
      ],
      { PATH: process.env.PATH, ANTHROPIC_API_KEY: keys.anthropic, GEMINI_API_KEY: keys.gemini },
    );
    const outcomes: unknown[] = [];
    for (const ref of ["claude-code", "claude-code", "gemini-cli"]) {
      const provider = await createProvider(ref, configSchema.parse({}), cli.env, { cwd: dir });
      await provider.call({ system: "s", prompt: "p" }).then(
        (r) => outcomes.push(r),
        (e: unknown) => outcomes.push(inspect(e, { depth: 8 }), (e as Error).stack),
      );
    }
    const log = await cli.log();
    expect(log.map((entry) => entry.envKeys)).toEqual([
      ["ANTHROPIC_API_KEY", "GEMINI_API_KEY"],
      ["ANTHROPIC_API_KEY", "GEMINI_API_KEY"],
      ["ANTHROPIC_API_KEY", "GEMINI_API_KEY"],
    ]);
    const files = await fs.readdir(dir, { recursive: true });
    const contents = await Promise.all(
      files.map(async (file) => fs.readFile(path.join(dir, file), "utf8").catch(() => "")),
    );
    const everything = [...contents, ...outcomes.map((o) => inspect(o, { depth: 8 }))].join("\n");
    for (const key of Object.values(keys)) expect(everything).not.toContain(key);
  });
});
