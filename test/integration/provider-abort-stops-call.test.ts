/**
 * An aborted call stops promptly and rejects with the abort, rather than waiting for a slow
 * answer: while waiting for the response, in the middle of a stream, and for agent CLIs, whose
 * whole process group (tools the agent started included) is killed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { isAbortError } from "../../src/errors.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import type { ModelProvider } from "../../src/providers/types.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withTempDir } from "../helpers/git-repo.ts";
import {
  mockReply,
  startMockModelServer,
  type MockApi,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

// Generous: the point is "rejects with the abort, well before the 10 s answer", not a timing test.
const promptly = 3000;

/** Waits up to 5 s for `condition`; a condition that never holds fails the test. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for: ${condition.toString()}`);
}

async function expectAbortedPromptly(
  call: Promise<unknown>,
  controller: AbortController,
): Promise<void> {
  const started = performance.now();
  controller.abort();
  const error = await call.then(
    () => new Error("the call resolved"),
    (e: unknown) => e,
  );
  expect(isAbortError(error)).toBe(true);
  expect((error as Error).name).toBe("AbortError");
  expect(performance.now() - started).toBeLessThan(promptly);
}

// Events up to and including the first text delta: message_start, content_block_start, ping,
// delta (Anthropic); one chunk (Gemini); the role chunk and a content chunk (OpenAI).
const apis: { ref: string; api: MockApi; firstTextEvents: number }[] = [
  { ref: "anthropic", api: "anthropic", firstTextEvents: 4 },
  { ref: "google", api: "gemini", firstTextEvents: 1 },
  { ref: "openai:local", api: "openai", firstTextEvents: 2 },
];

async function apiProvider(ref: string): Promise<ModelProvider> {
  const config = configSchema.parse({
    providers: {
      anthropic: { baseUrl: server.anthropicBaseUrl },
      google: { baseUrl: server.geminiBaseUrl },
      openai: { baseUrl: server.openaiBaseUrl },
    },
  });
  return createProvider(ref, config, { ANTHROPIC_API_KEY: "k-dummy", GEMINI_API_KEY: "k-dummy" });
}

describe.each(apis)("$ref", ({ ref, api, firstTextEvents }) => {
  it("rejects with the abort while the answer is still delayed", async () => {
    server.reply(api, mockReply.text("too late", { delayMs: 10_000 }));
    const provider = await apiProvider(ref);
    const before = server.requestsTo(api).length;
    const controller = new AbortController();
    const call = provider.call({ system: "s", prompt: "p", signal: controller.signal });
    await until(() => server.requestsTo(api).length > before);
    await expectAbortedPromptly(call, controller);
  });

  it("rejects with the abort in the middle of a stream", async () => {
    server.reply(
      api,
      mockReply.text("a long answer that stalls after its first words", {
        stallAfterEvents: firstTextEvents,
      }),
    );
    const provider = await apiProvider(ref);
    const controller = new AbortController();
    const deltas: string[] = [];
    const call = provider.call({
      system: "s",
      prompt: "p",
      signal: controller.signal,
      onText: (d) => deltas.push(d),
    });
    await until(() => deltas.length > 0);
    expect(deltas.length).toBeGreaterThan(0);
    await expectAbortedPromptly(call, controller);
  });

  it("does not start when the signal is already aborted", async () => {
    const provider = await apiProvider(ref);
    const before = server.requestsTo(api).length;
    const call = provider.call({ system: "s", prompt: "p", signal: AbortSignal.abort() });
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(server.requestsTo(api).length).toBe(before);
  });
});

describe.each(["claude-code", "gemini-cli"])("%s", (ref) => {
  it("kills the CLI's process group and rejects with the abort", async () => {
    await withTempDir(async (dir) => {
      const bin = ref === "claude-code" ? "claude" : "gemini";
      const cli = await setupFakeCli(dir, [
        { bin, delayMs: 20_000, grandchild: true, files: { "late.txt": "x" } },
      ]);
      const provider = await createProvider(ref, configSchema.parse({}), cli.env, { cwd: dir });
      const controller = new AbortController();
      const call = provider.call({ system: "s", prompt: "p", signal: controller.signal });
      await until(async () => (await cli.log()).length > 0);
      const [entry] = await cli.log();
      expect(entry!.grandchildPid).toBeGreaterThan(0);

      await expectAbortedPromptly(call, controller);
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await until(() => !alive(entry!.grandchildPid!));
      expect(alive(entry!.grandchildPid!)).toBe(false);
      expect(await import("node:fs").then((fs) => fs.existsSync(`${dir}/late.txt`))).toBe(false);
    });
  });
});
