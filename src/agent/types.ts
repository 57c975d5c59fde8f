/**
 * The step executor contract: what the orchestrator (src/workflow/execute) hands an executor
 * for one step, and what it gets back. Two kinds implement it: the built-in executor (a tool
 * loop on the Anthropic API with editor and bash client tools) and the agent CLIs (claude -p,
 * gemini -p) run with the worktree as cwd. An executor edits files in the worktree and nothing
 * else: it never commits, resets or pushes — the orchestrator owns git and checks afterwards
 * that no ref moved.
 */
import type { Logger } from "../log.ts";
import type { ModelUsage } from "../providers/types.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";

export interface StepExecutionRequest {
  /** Absolute path of the scratch worktree: the only place files may be read or written. */
  worktree: string;
  /** Instructions for the executor model (how to work, what the tools are for). */
  system: string;
  /**
   * The step's task: the spec, the whole plan, the current step, the step's files as they are
   * in the worktree, and — on a repair attempt — the failing validation output.
   */
  prompt: string;
  signal: AbortSignal;
  log: Logger;
  /**
   * Where every command of the step runs (the bash tool, an agent CLI itself): confined to the
   * worktree unless `exec.sandbox` is "off".
   */
  sandbox: Sandbox;
  /** Progress: each tool call (name and a one-line summary) and streamed text. */
  onEvent?: (event: ExecutorEvent) => void;
}

export type ExecutorEvent =
  | { type: "text"; delta: string }
  | { type: "tool"; name: string; summary: string; ok: boolean }
  | { type: "turn"; turn: number };

export interface StepExecutionResult {
  /** The executor's final words (what it says it did). */
  summary: string;
  /** "done": the model finished on its own; "turn-limit": it was stopped at the limit. */
  outcome: "done" | "turn-limit";
  turns: number;
  toolCalls: number;
  usage: ModelUsage;
  /** USD; undefined when the price is unknown. */
  costUsd: number | undefined;
  model: string;
  durationMs: number;
}

export interface StepExecutor {
  /** "anthropic:claude-sonnet-5-5", "claude-code", … */
  readonly name: string;
  execute(request: StepExecutionRequest): Promise<StepExecutionResult>;
}
