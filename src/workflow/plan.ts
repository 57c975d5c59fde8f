/**
 * The plan phase: AI-SPEC.md (and the packed repository) in, AI-PLAN.md out, with the commit
 * it was made against and the blob id of every file it cites, so `exec` can refuse it once
 * those files move. `--edit` opens the plan in an editor and takes it back only when it parses.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { usageError, workFailed } from "../errors.ts";
import { listTreeBlobs, resolveHead } from "../git/files.ts";
import { absentBlob, type PlanDocument } from "../plan/document.ts";
import { parsePlan, PlanParseError } from "../plan/parse.ts";
import { renderPlan } from "../plan/render.ts";
import { planFiles, planJsonSchema } from "../plan/schema.ts";
import { resolveSpecId } from "../store/spec-id.ts";
import type { PhaseUsage } from "../store/types.ts";
import type { SelectorOptions } from "../context/select.ts";
import { runHook } from "../plugins/lifecycle.ts";
import { openEditor } from "./editor.ts";
import { callPhaseModel } from "./model-call.ts";
import { preparePhase } from "./phase-context.ts";
import type { PhaseEnvironment } from "./phase-environment.ts";
import { validatePlanAnswer } from "./plan-answer.ts";
import { loadPrompt } from "./prompts.ts";
import { parseState, stateText, updateState } from "./state.ts";

export interface PlanPhaseOptions {
  /** Spec id or unique prefix; default: the most recently updated spec. */
  id?: string;
  selectors?: SelectorOptions;
}

export interface PlanPhaseResult {
  id: string;
  title: string;
  steps: number;
  location: string;
  base: string;
  contextFiles: number;
  contextTokens: number;
  usage: PhaseUsage;
}

export async function resolveSpec(
  pe: PhaseEnvironment,
  input: string | undefined,
): Promise<string> {
  const entries = await pe.store.list();
  if (entries.length === 0)
    throw usageError('no spec yet: start with git spe spec "what you want"');
  if (input === undefined) return (entries[0] as { id: string }).id;
  return resolveSpecId(
    input,
    entries.map((e) => e.id),
  );
}

export async function runPlanPhase(
  pe: PhaseEnvironment,
  options: PlanPhaseOptions,
): Promise<PlanPhaseResult> {
  const { ws, log } = pe;
  const id = await resolveSpec(pe, options.id);
  const spec = await pe.store.read(id, "AI-SPEC.md");
  const state = parseState(await pe.store.read(id, "state.json"));
  if (spec === undefined || state === undefined)
    throw usageError(`spec ${id} has no AI-SPEC.md: run git spe spec again`);
  const base = await resolveHead(ws.git);
  if (!base) throw usageError("a plan needs a commit to be made against: make a first commit");

  const { plugins, provider, pack } = await preparePhase(
    pe,
    "plan",
    spec,
    options.selectors,
    (plugins) => runHook(plugins, "plan:before", { id, spec, base }),
  );
  const { value: plan, usage } = await callPhaseModel(
    provider,
    {
      system: loadPrompt("plan-system"),
      context: pack.output,
      prompt: loadPrompt("plan-request", { spec: spec.trim() }),
      jsonSchema: { name: "plan", description: "The step-by-step plan.", schema: planJsonSchema() },
      maxOutputTokens: 32_000,
      signal: pe.signal,
    },
    { phase: "plan", log, what: "plan", validate: validatePlanAnswer },
  );

  const cited = planFiles(plan);
  const blobs = await listTreeBlobs(ws.git, base, cited);
  const document: PlanDocument = {
    meta: {
      id,
      spec: id,
      base,
      cited: Object.fromEntries(cited.map((p) => [p, blobs.get(p) ?? absentBlob])),
    },
    plan,
  };
  const now = pe.now();
  const next = updateState(
    state,
    { phase: "plan", status: "planned", usage: { plan: usage } },
    now,
  );
  const packed = Object.fromEntries(pack.files.map((f) => [f.path, f.blobId ?? ""]));
  await pe.store.write(id, {
    "AI-PLAN.md": renderPlan(document),
    "state.json": stateText({ ...next, plan: { base, packed } }),
  });
  const location = await pe.store.describe(id);
  await runHook(plugins, "plan:after", { id, base, location, plan });
  return {
    id,
    title: plan.title,
    steps: plan.steps.length,
    location,
    base,
    contextFiles: pack.files.length,
    contextTokens: pack.totalTokens,
    usage,
  };
}

/**
 * Opens the spec's AI-PLAN.md in the editor and stores it back only when it parses. An edit
 * that does not parse is kept in a file whose path is printed, so no work is lost.
 */
export async function editPlan(
  pe: PhaseEnvironment,
  input: string | undefined,
): Promise<{ id: string; steps: number }> {
  const id = await resolveSpec(pe, input);
  const current = await pe.store.read(id, "AI-PLAN.md");
  if (current === undefined) throw usageError(`spec ${id} has no plan yet: git spe plan ${id}`);
  const dir = path.join(pe.ws.paths.commonDir, "spe", "edits");
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${id}-AI-PLAN.md`);
  // A rejected edit from last time is where the user left off: start from it, not over it.
  const kept = await fs.readFile(file, "utf8").catch(() => undefined);
  if (kept !== undefined && kept !== current)
    pe.log.info(`plan: resuming your unsaved edit in ${file}`);
  else await fs.writeFile(file, current);
  await openEditor(file, pe.env, pe.signal);
  const edited = await fs.readFile(file, "utf8");
  let document: PlanDocument;
  try {
    document = parsePlan(edited, "AI-PLAN.md");
  } catch (error) {
    if (!(error instanceof PlanParseError)) throw error;
    throw usageError(`the edited plan is not valid; it was not saved:\n${error.message}`, {
      hint: `Your edit is kept in ${file}; git spe plan ${id} --edit opens it again.`,
    });
  }
  if (document.meta.id !== id)
    throw workFailed(`the edited plan's id is ${document.meta.id}, not ${id}; it was not saved`);
  const state = parseState(await pe.store.read(id, "state.json"));
  const files: Record<string, string> = { "AI-PLAN.md": renderPlan(document) };
  if (state)
    files["state.json"] = stateText(updateState(state, { status: "planned (edited)" }, pe.now()));
  await pe.store.write(id, files);
  await fs.rm(file, { force: true });
  return { id, steps: document.plan.steps.length };
}
