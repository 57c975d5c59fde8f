/**
 * Plugin context providers as selectors: `--select NAME[=ARG]` (repeatable) on `context`, `spec`
 * and `plan`. Names are checked before anything is packed (an unknown one is a usage error that
 * lists the known ones); each provider runs at the work tree root and its paths come back
 * relative to it, ranked like --grep matches by the context packer.
 */
import { rootRelative } from "../context/root-relative.ts";
import { usageError } from "../errors.ts";
import { pluginsOf, type PluginEnvironment } from "./environment.ts";
import { pluginFailure } from "./failure.ts";
import { createPluginServices } from "./services.ts";
import type { ContextProvider, SpePlugin } from "./types.ts";
import type { PluginSelection } from "./selection.ts";

export { parseSelection, type PluginSelection } from "./selection.ts";

export function selectorNames(penv: PluginEnvironment): Map<string, SpePlugin> {
  const names = new Map<string, SpePlugin>();
  for (const { plugin } of pluginsOf(penv))
    for (const name of Object.keys(plugin.contextProviders ?? {}))
      if (!names.has(name)) names.set(name, plugin);
  return names;
}

export type SelectWithPlugin = (selection: PluginSelection) => Promise<string[]>;

/** A usage error, listing the known selectors, when a selection names none of them. */
export function checkSelections(
  penv: PluginEnvironment,
  selections: readonly PluginSelection[] = [],
): Map<string, SpePlugin> {
  const names = selectorNames(penv);
  for (const { name } of selections) {
    if (names.has(name)) continue;
    const known = [...names].map(([n, p]) => `${n} (plugin ${p.name})`);
    throw usageError(`--select ${name}: no plugin provides a selector "${name}"`, {
      hint:
        known.length > 0
          ? `Known selectors: ${known.join(", ")}`
          : "No configured plugin provides selectors; add one to plugins in .spe.config.ts.",
    });
  }
  return names;
}

/** Checks every name now; resolves each selection to root-relative paths when called. */
export function pluginSelector(
  penv: PluginEnvironment,
  selections: readonly PluginSelection[],
): SelectWithPlugin {
  const names = checkSelections(penv, selections);
  return async ({ name, argument }) => {
    const plugin = names.get(name) as SpePlugin;
    const provider = plugin.contextProviders?.[name] as ContextProvider;
    try {
      const files = await provider({
        ...createPluginServices(penv, plugin),
        argument,
      });
      if (!Array.isArray(files)) throw new Error("a selector must return an array of paths");
      return files.map((file: unknown) => {
        const relative = typeof file === "string" ? rootRelative(penv.root, file) : undefined;
        if (relative === undefined)
          throw new Error(`${JSON.stringify(file)} is not a path inside the work tree`);
        return relative;
      });
    } catch (error) {
      throw pluginFailure(plugin.name, `selector "${name}"`, error, penv.signal);
    }
  };
}

/** The pack environment's `selectWithPlugin` when selections were given (names checked now). */
export function selectorsFor(
  penv: PluginEnvironment,
  selections: readonly PluginSelection[] | undefined,
): { selectWithPlugin?: SelectWithPlugin } {
  return selections?.length ? { selectWithPlugin: pluginSelector(penv, selections) } : {};
}
