/**
 * The spec phase: a request (and the packed repository) in, AI-SPEC.md out. The model's open
 * questions are put to the developer on a terminal; otherwise their proposed answers are taken
 * and recorded as such.
 */
import { usageError } from "../errors.ts";
import { resolveHead } from "../git/files.ts";
import { makeSpecId, validateSpecId } from "../store/spec-id.ts";
import type { PhaseUsage } from "../store/types.ts";
import { answerJson, callPhaseModel, type Validation } from "./model-call.ts";
import { preparePhase } from "./phase-context.ts";
import type { PhaseEnvironment } from "./phase-environment.ts";
import { loadPrompt } from "./prompts.ts";
import {
  renderSpec,
  specAnswerSchema,
  specJsonSchema,
  type AnsweredQuestion,
  type SpecAnswer,
} from "./spec-document.ts";
import { newState, stateText, updateState } from "./state.ts";
import { formatPath } from "../config/validate.ts";
import type { SelectorOptions } from "../context/select.ts";
import { runHook } from "../plugins/lifecycle.ts";

export interface SpecPhaseOptions {
  /** The request: a one-line request or the contents of USER-SPEC.md. */
  request: string;
  /** --id: the spec's id instead of YYYYMMDD-slug. */
  id?: string;
  selectors?: SelectorOptions;
}

export interface SpecPhaseResult {
  id: string;
  title: string;
  location: string;
  questions: AnsweredQuestion[];
  contextFiles: number;
  contextTokens: number;
  usage: PhaseUsage;
}

function validateSpecAnswer(
  result: Parameters<Parameters<typeof callPhaseModel>[2]["validate"]>[0],
): Validation<SpecAnswer> {
  const json = answerJson(result);
  if (json === undefined)
    return { ok: false, problems: [result.jsonError ?? "the answer is not JSON"] };
  const parsed = specAnswerSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
  };
}

export async function runSpecPhase(
  pe: PhaseEnvironment,
  options: SpecPhaseOptions,
): Promise<SpecPhaseResult> {
  const request = options.request.trim();
  if (request === "")
    throw usageError(
      'the request is empty: git spe spec "what you want" or git spe spec -f USER-SPEC.md',
    );
  if (options.id !== undefined) validateSpecId(options.id);
  const existing = (await pe.store.list()).map((entry) => entry.id);
  if (options.id !== undefined && existing.includes(options.id)) {
    throw usageError(`spec ${options.id} already exists`, {
      hint: "Choose another --id, or plan the existing one: git spe plan " + options.id,
    });
  }
  const { ws, log } = pe;
  const base = await resolveHead(ws.git);
  // Before the model is paid: the notes store attaches the spec to a commit, and there is none.
  if (!base && pe.store.kind === "notes")
    throw usageError(
      "the notes store needs a commit to attach the spec to; make a first commit or use store: dir",
    );
  const { plugins, provider, pack } = await preparePhase(
    pe,
    "spec",
    request,
    options.selectors,
    (plugins) => runHook(plugins, "spec:before", { request, id: options.id, base }),
  );
  const { value: answer, usage } = await callPhaseModel(
    provider,
    {
      system: loadPrompt("spec-system"),
      context: pack.output,
      prompt: loadPrompt("spec-request", { request }),
      jsonSchema: {
        name: "spec",
        description: "The clarified specification.",
        schema: specJsonSchema(),
      },
      maxOutputTokens: 16_000,
      signal: pe.signal,
    },
    { phase: "spec", log, what: "specification", validate: validateSpecAnswer },
  );

  const questions: AnsweredQuestion[] = [];
  for (const q of answer.openQuestions) {
    const given = pe.ask ? (await pe.ask(q.question, q.proposedAnswer)).trim() : "";
    const answerText = given === "" ? q.proposedAnswer : given;
    questions.push({
      ...q,
      answer: answerText,
      how: answerText === q.proposedAnswer ? "accepted" : "answered",
    });
  }

  const now = pe.now();
  const id = options.id ?? makeSpecId(answer.title, now, existing);
  const state = updateState(newState(id, answer.title, now, base), { usage: { spec: usage } }, now);
  await pe.store.write(
    id,
    {
      "USER-SPEC.md": `${request}\n`,
      "AI-SPEC.md": renderSpec({ id, created: now.toISOString(), base }, answer, questions),
      "state.json": stateText(state),
    },
    base ? { attachTo: base } : {},
  );
  const location = await pe.store.describe(id);
  await runHook(plugins, "spec:after", { id, title: answer.title, location, base, questions });
  return {
    id,
    title: answer.title,
    location,
    questions,
    contextFiles: pack.files.length,
    contextTokens: pack.totalTokens,
    usage,
  };
}
