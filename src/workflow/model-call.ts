/**
 * A phase's model call with progress (phase, model, elapsed time, tokens streamed so far) and
 * one repair round: an answer that does not validate goes back to the model once with the
 * problems listed; a second failure is a clear error. Usage and cost add up across both calls.
 */
import { workFailed } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { PhaseUsage } from "../store/types.ts";
import type { ModelCallRequest, ModelCallResult, ModelProvider } from "../providers/types.ts";
import { jsonFields } from "../providers/json-answer.ts";
import { loadPrompt } from "./prompts.ts";
import { thousands } from "../util/thousands.ts";

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export interface PhaseCallOptions<T> {
  phase: string;
  log: Logger;
  /** What the answer is, for messages ("specification", "plan"). */
  what: string;
  validate: (result: ModelCallResult) => Validation<T>;
}

export interface PhaseCallResult<T> {
  value: T;
  usage: PhaseUsage;
  calls: number;
}

async function callWithProgress(
  provider: ModelProvider,
  request: ModelCallRequest,
  phase: string,
  log: Logger,
): Promise<ModelCallResult> {
  const started = performance.now();
  let streamedChars = 0;
  const show = () =>
    log.progress(
      `${phase}: ${provider.provider}:${provider.model} working… ${((performance.now() - started) / 1000).toFixed(1)} s, ~${thousands(Math.round(streamedChars / 4))} tokens streamed`,
    );
  const timer = setInterval(show, 500);
  try {
    return await provider.call({
      ...request,
      onText: (delta) => {
        streamedChars += delta.length;
        request.onText?.(delta);
      },
    });
  } finally {
    clearInterval(timer);
    log.progress(undefined);
  }
}

export function addPhaseUsage(results: readonly ModelCallResult[]): PhaseUsage {
  const last = results.at(-1);
  const costs = results.map((r) => r.costUsd);
  return {
    model: last ? `${last.provider}:${last.model}` : "",
    inputTokens: results.reduce((s, r) => s + r.usage.inputTokens, 0),
    outputTokens: results.reduce((s, r) => s + r.usage.outputTokens, 0),
    cacheReadTokens: results.reduce((s, r) => s + r.usage.cacheReadTokens, 0),
    cacheWriteTokens: results.reduce((s, r) => s + r.usage.cacheWriteTokens, 0),
    ...(results.some((r) => r.usage.thinkingTokens)
      ? { thinkingTokens: results.reduce((s, r) => s + (r.usage.thinkingTokens ?? 0), 0) }
      : {}),
    costUsd: costs.every((c) => c !== undefined) ? costs.reduce((s, c) => s + (c ?? 0), 0) : null,
    durationMs: results.reduce((s, r) => s + r.durationMs, 0),
  };
}

export function formatUsage(usage: PhaseUsage): string {
  const n = thousands;
  const cached = usage.cacheReadTokens > 0 ? ` (${n(usage.cacheReadTokens)} cached)` : "";
  const cost =
    usage.costUsd === null
      ? "cost unknown"
      : `$${usage.costUsd.toFixed(usage.costUsd < 0.01 ? 4 : 2)}`;
  const thinking = usage.thinkingTokens ? ` (${n(usage.thinkingTokens)} thinking)` : "";
  return `${usage.model}: ${n(usage.inputTokens)} in${cached}, ${n(usage.outputTokens)} out${thinking}, ${cost}, ${(usage.durationMs / 1000).toFixed(1)} s`;
}

export async function callPhaseModel<T>(
  provider: ModelProvider,
  request: ModelCallRequest,
  options: PhaseCallOptions<T>,
): Promise<PhaseCallResult<T>> {
  const results: ModelCallResult[] = [];
  const first = await callWithProgress(provider, request, options.phase, options.log);
  results.push(first);
  let checked = options.validate(first);
  if (!checked.ok) {
    options.log.warn(
      `${options.phase}: the ${options.what} did not validate; asking the model once more (${checked.problems.length} problem(s))`,
    );
    const repair = loadPrompt("repair", {
      problems: checked.problems.map((p) => `- ${p}`).join("\n"),
      what: options.what,
    });
    const second = await callWithProgress(
      provider,
      { ...request, prompt: `${request.prompt}\n\n${repair}` },
      options.phase,
      options.log,
    );
    results.push(second);
    checked = options.validate(second);
  }
  if (!checked.ok) {
    throw workFailed(
      `${options.phase}: the model's ${options.what} is still not valid after one repair:\n${checked.problems
        .slice(0, 10)
        .map((p) => `  ${p}`)
        .join("\n")}`,
      {
        hint: `Run the ${options.phase} phase again, or try another model (models.${options.phase} in .spe.config.ts).`,
      },
    );
  }
  return { value: checked.value, usage: addPhaseUsage(results), calls: results.length };
}

/** The answer's JSON: parsed by the provider, or the text itself when it is JSON. */
export function answerJson(result: ModelCallResult): unknown {
  if (result.json !== undefined) return result.json;
  return jsonFields(result.text).json;
}
