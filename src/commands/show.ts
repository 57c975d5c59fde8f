/** `git spe show ID [spec|plan|run|drift]`: one artifact on stdout (`--json`: `{id, artifact, content}`). */
import { usageError } from "../errors.ts";
import type { ArtifactName } from "../store/types.ts";
import { resolveSpec } from "../workflow/plan.ts";
import type { CommandContext } from "./command-context.ts";
import { openPhaseEnvironment } from "./phase-env.ts";

export type ShowArtifact = "spec" | "plan" | "run" | "drift";

const files: Partial<Record<ShowArtifact, ArtifactName>> = {
  spec: "AI-SPEC.md",
  plan: "AI-PLAN.md",
};

export interface ShowResult {
  id: string;
  artifact: ShowArtifact;
  content: string;
}

export async function show(
  ctx: CommandContext,
  id: string,
  artifact: ShowArtifact = "spec",
): Promise<ShowResult> {
  const pe = await openPhaseEnvironment(ctx);
  const resolved = await resolveSpec(pe, id);
  const name = files[artifact];
  if (name === undefined) {
    throw usageError(`spec ${resolved} has no ${artifact} record yet`, {
      hint: `Runs are recorded by git spe exec ${resolved}.`,
    });
  }
  const content = await pe.store.read(resolved, name);
  if (content === undefined) {
    throw usageError(`spec ${resolved} has no ${name} yet`, {
      hint: artifact === "plan" ? `git spe plan ${resolved}` : `git spe spec`,
    });
  }
  return { id: resolved, artifact, content };
}
