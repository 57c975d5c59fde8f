/**
 * Model back ends that plugins register (`providers: { mine: factory }`): the factory is given
 * the reference, the config's `providers.<kind>` settings and the key from the variable
 * `apiKeyEnv` names, and returns a ModelProvider (optionally with `execute` for steps).
 */
import type { SpeConfig } from "../config/schema.ts";
import { usageError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { pluginFailure } from "./failure.ts";
import { frozenCopy, pluginLogger } from "./services.ts";
import type { PluginProvider, ProviderFactory, SpePlugin } from "./types.ts";

export function findPluginProvider(
  config: SpeConfig,
  kind: string,
): { plugin: SpePlugin; factory: ProviderFactory } | undefined {
  for (const plugin of config.plugins) {
    const factory = plugin.providers?.[kind];
    if (factory) return { plugin, factory };
  }
  return undefined;
}

export function pluginProviderKinds(config: SpeConfig): string[] {
  return config.plugins.flatMap((p) => Object.keys(p.providers ?? {}));
}

const silent: Logger["info"] = () => undefined;

export async function createPluginProvider(
  request: { ref: string; kind: string; model: string | undefined },
  config: SpeConfig,
  env: NodeJS.ProcessEnv,
  options: { log?: Logger; cwd?: string } = {},
): Promise<PluginProvider> {
  const found = findPluginProvider(config, request.kind);
  if (!found) throw usageError(`no plugin registers the model provider "${request.kind}"`);
  const settings = config.providers[request.kind] ?? {};
  const log = options.log
    ? pluginLogger(options.log, found.plugin.name)
    : { info: silent, success: silent, warn: silent, error: silent, debug: silent };
  let provider: PluginProvider;
  try {
    provider = await found.factory({
      ...request,
      settings: frozenCopy(settings),
      apiKey: settings.apiKeyEnv ? env[settings.apiKeyEnv] : undefined,
      env,
      cwd: options.cwd ?? process.cwd(),
      log,
    });
    if (typeof provider?.call !== "function")
      throw new Error("the factory returned no model provider (an object with call())");
  } catch (error) {
    throw pluginFailure(found.plugin.name, `provider "${request.kind}"`, error);
  }
  return provider;
}
