/** state.json: create, update, read. Pure apart from the clock passed in. */
import type { PhaseUsage, SpecPhase, SpecState } from "../store/types.ts";

export function newState(
  id: string,
  title: string,
  now: Date,
  base: string | undefined,
): SpecState {
  const at = now.toISOString();
  return {
    spe: "state/v1",
    id,
    title,
    phase: "spec",
    status: "specified",
    createdAt: at,
    updatedAt: at,
    ...(base ? { base } : {}),
  };
}

export function updateState(
  state: SpecState,
  change: {
    phase?: SpecPhase;
    status?: string;
    usage?: Partial<Record<"spec" | "plan" | "exec", PhaseUsage>>;
  },
  now: Date,
): SpecState {
  return {
    ...state,
    ...(change.phase ? { phase: change.phase } : {}),
    ...(change.status ? { status: change.status } : {}),
    usage: { ...state.usage, ...change.usage },
    updatedAt: now.toISOString(),
  };
}

export function stateText(state: SpecState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

export function parseState(text: string | undefined): SpecState | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as SpecState;
    return value && value.spe === "state/v1" && typeof value.id === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
