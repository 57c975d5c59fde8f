/**
 * `git spe status [ID]`: every spec with its phase and state (stale plans flagged), or one
 * spec in detail. `--json` prints `{ "specs": [StatusEntry…] }` or one `StatusDetail`.
 */
import { parsePlan, PlanParseError } from "../plan/parse.ts";
import type { ArtifactName, SpecState } from "../store/types.ts";
import { artifactNames } from "../store/types.ts";
import { formatUsage } from "../workflow/model-call.ts";
import type { PhaseEnvironment } from "../workflow/phase-environment.ts";
import { resolveSpec } from "../workflow/plan.ts";
import { describeStale, findStaleFiles, type StaleFile } from "../workflow/staleness.ts";
import type { CommandContext } from "./command-context.ts";
import { openPhaseEnvironment } from "./phase-env.ts";

export interface StatusEntry {
  id: string;
  title: string;
  phase: SpecState["phase"];
  status: string;
  createdAt: string;
  updatedAt: string;
  /** null without a plan; otherwise the cited files that moved since it was made. */
  stale: StaleFile[] | null;
}

export interface StatusDetail extends StatusEntry {
  location: string;
  base: string | null;
  /** Steps in the plan, null without one (or when it does not parse). */
  steps: number | null;
  /** Why the stored plan does not parse, if it does not. */
  planError: string | null;
  usage: SpecState["usage"];
  artifacts: ArtifactName[];
}

/** The plan's steps and staleness; a done spec's plan is history, never stale. */
async function planInfo(pe: PhaseEnvironment, id: string, state: SpecState | undefined) {
  const text = await pe.store.read(id, "AI-PLAN.md");
  if (text === undefined) return { stale: null, steps: null, planError: null };
  try {
    const doc = parsePlan(text);
    return {
      stale: state?.phase === "done" ? [] : await findStaleFiles(pe.ws.git, doc.meta),
      steps: doc.plan.steps.length,
      planError: null,
    };
  } catch (error) {
    if (error instanceof PlanParseError)
      return { stale: null, steps: null, planError: error.message };
    throw error;
  }
}

function entryOf(state: SpecState, stale: StaleFile[] | null): StatusEntry {
  const { id, title, phase, status, createdAt, updatedAt } = state;
  return { id, title, phase, status, createdAt, updatedAt, stale };
}

export async function status(
  ctx: CommandContext,
  id?: string,
): Promise<{ specs: StatusEntry[] } | StatusDetail> {
  const pe = await openPhaseEnvironment(ctx);
  if (id === undefined) {
    const specs = await Promise.all(
      (await pe.store.list()).map(async (e) =>
        entryOf(e.state, (await planInfo(pe, e.id, e.state)).stale),
      ),
    );
    return { specs };
  }
  const resolved = await resolveSpec(pe, id);
  const state = (await pe.store.list()).find((e) => e.id === resolved)?.state as SpecState;
  const info = await planInfo(pe, resolved, state);
  const artifacts: ArtifactName[] = [];
  for (const name of artifactNames)
    if ((await pe.store.read(resolved, name)) !== undefined) artifacts.push(name);
  return {
    ...entryOf(state, info.stale),
    location: await pe.store.describe(resolved),
    base: state.base ?? null,
    steps: info.steps,
    planError: info.planError,
    usage: state.usage ?? {},
    artifacts,
  };
}

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

export function formatStatus(result: { specs: StatusEntry[] } | StatusDetail): string[] {
  if ("specs" in result) {
    if (result.specs.length === 0) return ['no specs yet: git spe spec "what you want"'];
    const width = Math.max(2, ...result.specs.map((s) => s.id.length));
    return [
      `${"ID".padEnd(width)}  PHASE  STATUS      UPDATED           TITLE`,
      ...result.specs.map((s) => {
        const stale =
          s.stale && s.stale.length > 0
            ? `  (plan stale: ${s.stale.length} file${s.stale.length === 1 ? "" : "s"} moved)`
            : "";
        return `${s.id.padEnd(width)}  ${s.phase.padEnd(5)}  ${s.status.padEnd(10)}  ${when(s.updatedAt)}  ${s.title}${stale}`;
      }),
    ];
  }
  const lines = [
    `spec ${result.id}: ${result.title}`,
    `  phase:  ${result.phase} (${result.status}), updated ${when(result.updatedAt)}, created ${when(result.createdAt)}`,
    `  store:  ${result.location} (${result.artifacts.join(", ")})`,
  ];
  if (result.base) lines.push(`  base:   ${result.base.slice(0, 12)}`);
  if (result.planError)
    lines.push(`  plan:   does not parse:\n${result.planError.replace(/^/gm, "    ")}`);
  else if (result.steps !== null) {
    const stale = result.stale ?? [];
    lines.push(
      `  plan:   ${result.steps} step(s)${stale.length === 0 ? ", up to date" : `, STALE:`}`,
    );
    for (const line of describeStale(stale)) lines.push(`    ${line}`);
  } else lines.push(`  plan:   none yet (git spe plan ${result.id})`);
  for (const [phase, usage] of Object.entries(result.usage ?? {}))
    if (usage)
      lines.push(`  ${phase}:${" ".repeat(Math.max(1, 7 - phase.length))}${formatUsage(usage)}`);
  return lines;
}
