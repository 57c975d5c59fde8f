/**
 * The built-in executor wired to the mock model server through the real `@anthropic-ai/sdk`
 * (only the base URL points at the mock), with a memory logger and recorded events, for the
 * agent-* tests.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import {
  type BuiltinExecutorOptions,
  createBuiltinExecutor,
} from "../../src/agent/builtin-executor.ts";
import type { ExecutorEvent, StepExecutionResult, StepExecutor } from "../../src/agent/types.ts";
import { configSchema } from "../../src/config/schema.ts";
import { createMemoryLogger } from "../../src/log.ts";
import type { AnthropicProvider } from "../../src/providers/anthropic.ts";
import { createAnthropicTurnProvider } from "../../src/providers/create-provider.ts";
import { probeSandbox } from "../../src/sandbox/probe.ts";
import { createSandbox, type Sandbox } from "../../src/sandbox/sandbox.ts";
import { type MockModelServer, startMockModelServer } from "./mock-model-server.ts";

export const agentModelRef = "anthropic:claude-sonnet-5-5";

export interface AgentRun {
  result: StepExecutionResult;
  events: ExecutorEvent[];
  log: ReturnType<typeof createMemoryLogger>;
}

export interface AgentHarness extends AsyncDisposable {
  server: MockModelServer;
  provider: AnthropicProvider;
  executor(overrides?: Partial<BuiltinExecutorOptions>): StepExecutor;
  run(
    worktree: string,
    options?: {
      executor?: StepExecutor;
      signal?: AbortSignal;
      prompt?: string;
      system?: string;
      events?: ExecutorEvent[];
      /** Default: a bubblewrap sandbox of the worktree, as exec gives the executor. */
      sandbox?: Sandbox;
      /** Commands unconfined, as with `exec.sandbox: "off"`. */
      unconfined?: boolean;
      /** `exec.sandbox.env` of the default sandbox. */
      sandboxEnv?: string[];
    },
  ): Promise<AgentRun>;
  /** The Messages API bodies the mock received, in order. */
  bodies(): Anthropic.MessageCreateParams[];
  /** The tool_result blocks of the last message of request `index` (0-based). */
  toolResults(index: number): Anthropic.ToolResultBlockParam[];
}

export async function startAgentHarness(): Promise<AgentHarness> {
  const server = await startMockModelServer();
  const config = configSchema.parse({
    providers: { anthropic: { baseUrl: server.anthropicBaseUrl, maxRetries: 0 } },
  });
  const provider = await createAnthropicTurnProvider(agentModelRef, config, {
    ANTHROPIC_API_KEY: "sk-ant-dummy-agent-0001",
  });
  const executor = (overrides: Partial<BuiltinExecutorOptions> = {}) =>
    createBuiltinExecutor({
      provider,
      maxTurns: 20,
      maxTokens: 4000,
      commandTimeoutMs: 20_000,
      killGraceMs: 500,
      env: process.env,
      ...overrides,
    });
  const bodies = () =>
    server.requestsTo("anthropic").map((r) => r.body as Anthropic.MessageCreateParams);
  const harness: AgentHarness = {
    server,
    provider,
    executor,
    async run(worktree, options = {}) {
      const events = options.events ?? [];
      const log = createMemoryLogger();
      const gitDir = await fs.mkdtemp(path.join(os.tmpdir(), "spe-agent-gitdir-"));
      const sandboxConfig = configSchema.parse({
        exec: { sandbox: options.unconfined ? "off" : { env: options.sandboxEnv ?? [] } },
      });
      const sandbox =
        options.sandbox ??
        (await createSandbox({
          probe: await probeSandbox(process.env),
          config: sandboxConfig,
          env: process.env,
          worktree,
          commonDir: gitDir,
          toplevel: worktree,
        }));
      try {
        const result = await (options.executor ?? executor()).execute({
          worktree,
          system: options.system ?? "You implement one step of a plan in this worktree.",
          prompt: options.prompt ?? "Do the step.",
          signal: options.signal ?? new AbortController().signal,
          log,
          sandbox,
          onEvent: (event) => events.push(event),
        });
        return { result, events, log };
      } finally {
        if (!options.sandbox) await sandbox.dispose();
        await fs.rm(gitDir, { recursive: true, force: true });
      }
    },
    bodies,
    toolResults(index) {
      const body = bodies()[index];
      const last = body?.messages.at(-1);
      if (!last || !Array.isArray(last.content)) return [];
      return (last.content as Anthropic.ContentBlockParam[]).filter(
        (block): block is Anthropic.ToolResultBlockParam => block.type === "tool_result",
      );
    },
    [Symbol.asyncDispose]: () => server.close(),
  };
  return harness;
}
