/**
 * `git spe show ID [spec|plan|run|drift] [--format json|markdown]`: one artifact on stdout
 * (`--json`: `{id, artifact, content}`); the run record as JSON, or as markdown for a PR body.
 */
import { usageError } from "../errors.ts";
import type { ArtifactName } from "../store/types.ts";
import { resolveSpec } from "../workflow/plan.ts";
import type { CommandContext } from "./command-context.ts";
import { listRuns } from "../workflow/execute/run-state.ts";
import { formatDrift } from "../workflow/execute/drift.ts";
import { runRecord } from "../workflow/execute/finish.ts";
import { formatRunMarkdown } from "../workflow/execute/run-markdown.ts";
import { driftOf } from "./exec.ts";
import { formatValidationGate } from "../workflow/execute/validation-gate.ts";
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
  format?: "json" | "markdown",
): Promise<ShowResult> {
  if (format !== undefined && artifact !== "run")
    throw usageError(
      `--format is for the run record, not ${artifact}: git spe show ${id} run --format ${format}`,
    );
  const pe = await openPhaseEnvironment(ctx);
  const resolved = await resolveSpec(pe, id);
  const name = files[artifact];
  if (name === undefined) {
    const run = (await listRuns(pe.ws.paths.commonDir, resolved))[0];
    if (!run)
      throw usageError(`spec ${resolved} has no run yet`, { hint: `git spe exec ${resolved}` });
    const content =
      artifact === "run"
        ? format === "markdown"
          ? formatRunMarkdown(run)
          : runRecord(run)
        : `${[...formatDrift(driftOf(run)), ...formatValidationGate(run)].join("\n")}\n`;
    return { id: resolved, artifact, content };
  }
  const content = await pe.store.read(resolved, name);
  if (content === undefined) {
    throw usageError(`spec ${resolved} has no ${name} yet`, {
      hint: artifact === "plan" ? `git spe plan ${resolved}` : `git spe spec`,
    });
  }
  return { id: resolved, artifact, content };
}
