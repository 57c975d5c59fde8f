/**
 * The lifecycle runner: one hook of every active plugin, in config order, each awaited before
 * the next. The event is a frozen copy; a hook that throws stops the caller with an error that
 * names the plugin and the hook. The hook order is documented in events.ts.
 */
import type { HookContext, LifecycleEvents, LifecycleHook, LifecycleHookName } from "./events.ts";
import { pluginsOf, type PluginEnvironment } from "./environment.ts";
import { pluginFailure } from "./failure.ts";
import { createPluginServices, frozenCopy, type CallScope } from "./services.ts";

export async function runHook<K extends LifecycleHookName>(
  penv: PluginEnvironment,
  name: K,
  event: LifecycleEvents[K],
  scope: CallScope = {},
): Promise<void> {
  const plugins = pluginsOf(penv).filter(({ plugin }) => plugin.hooks?.[name] !== undefined);
  if (plugins.length === 0) return;
  const frozen = frozenCopy(event) as HookContext<K>["event"];
  for (const { plugin } of plugins) {
    const hook = plugin.hooks?.[name] as LifecycleHook<K>;
    penv.signal.throwIfAborted();
    penv.log.debug(`plugin ${plugin.name}: ${name}`);
    try {
      await hook({ ...createPluginServices(penv, plugin, scope), hook: name, event: frozen });
    } catch (error) {
      throw pluginFailure(plugin.name, `hook "${name}"`, error, scope.signal ?? penv.signal);
    }
  }
}
