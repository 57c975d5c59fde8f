/**
 * Context for a phase: the selectors the user gave, or by default the whole tracked tree fitted
 * to the phase's budget with the files the text (a request, a spec) mentions ranked first —
 * named paths that exist, then files containing the identifiers it mentions.
 */
import { packContext, type PackResult } from "../context/pack.ts";
import { packEnvironment } from "./pack-environment.ts";
import { describeLevels } from "../context/map-pack.ts";
import { hasSelector, type SelectorOptions } from "../context/select.ts";
import { splitNul } from "../git/parse-z.ts";
import type { Logger } from "../log.ts";
import type { Workspace } from "../workspace.ts";
import { identifierMentions, pathMentions } from "./request-terms.ts";
import { pluginEnvironment, type PluginEnvironment } from "../plugins/environment.ts";
import { checkSelections } from "../plugins/selectors.ts";
import { isAgentCli } from "../config/providers.ts";
import { phaseAgentDir } from "../providers/agent-dir.ts";
import { createProvider } from "../providers/create-provider.ts";
import type { ModelProvider } from "../providers/types.ts";
import type { PhaseEnvironment } from "./phase-environment.ts";
import { thousands } from "../util/thousands.ts";

export interface PhaseContextOptions {
  ws: Workspace;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  budget: number;
  /** What the phase is about (request or spec): mentions in it rank the context. */
  about: string;
  /** Selectors from the command line; when given they are used as they are. */
  selectors?: SelectorOptions;
}

export async function mentionedFiles(ws: Workspace, text: string): Promise<string[]> {
  const mentions = pathMentions(text);
  if (mentions.length === 0) return [];
  const { stdout } = await ws.git.run(["ls-files", "-z", "--full-name"], {
    paths: mentions.map((m) => `:(literal)${m}`),
  });
  return splitNul(stdout);
}

export async function packForPhase(options: PhaseContextOptions): Promise<PackResult> {
  const { ws } = options;
  const selectors: SelectorOptions =
    options.selectors && hasSelector(options.selectors)
      ? options.selectors
      : {
          all: true,
          files: await mentionedFiles(ws, options.about),
          grepFixed: identifierMentions(options.about),
        };
  return packContext(packEnvironment(options, selectors.select), {
    selectors,
    format: "xml",
    budget: options.budget,
    // What does not fit whole goes in as outlines, then as paths, by rank (context/map.ts).
    map: true,
    maxFileBytes: ws.config.context.maxFileBytes,
    exclude: ws.config.context.exclude,
  });
}

export interface PreparedPhase {
  plugins: PluginEnvironment;
  provider: ModelProvider;
  pack: PackResult;
}

/**
 * What a spec or plan call needs, in the order that fails cheapest first: the selections are
 * checked and the model's provider created (a missing key or CLI fails in a second, not after
 * packing), then the phase's before-hook runs (`before`), then the context is packed and logged.
 */
export async function preparePhase(
  pe: PhaseEnvironment,
  phase: "spec" | "plan",
  about: string,
  selectors: SelectorOptions | undefined,
  before: (plugins: PluginEnvironment) => Promise<void>,
): Promise<PreparedPhase> {
  const { ws, log } = pe;
  const plugins = pluginEnvironment(pe);
  checkSelections(plugins, selectors?.select);
  // An agent CLI runs in an empty directory of its own, not in the user's checkout.
  const thinking = ws.config.thinking[phase];
  const ref = ws.config.models[phase];
  const provider = await createProvider(ref, ws.config, pe.env, {
    log,
    ...(isAgentCli(ref) ? { cwd: await phaseAgentDir(pe.env) } : {}),
    thinking,
  });
  if (thinking !== undefined && provider.provider === "gemini-cli")
    log.warn(
      `${phase}: thinking.${phase} is not applied to gemini-cli outside exec's sandbox; set modelConfigs in ~/.gemini/settings.json`,
    );
  await before(plugins);
  const pack = await packForPhase({
    ws,
    cwd: pe.cwd,
    env: pe.env,
    signal: pe.signal,
    log,
    budget: ws.config.context.budget[phase],
    about,
    selectors,
  });
  log.info(
    `${phase}: context of ${pack.files.length} files, ${thousands(pack.totalTokens)} tokens${pack.levels && pack.levels.outline.files + pack.levels.path.files > 0 ? `: ${describeLevels(pack.levels)}` : ""}`,
  );
  return { plugins, provider, pack };
}
