/** The programmatic API of git spe: what a `.spe.config.ts` or a plugin imports. */
export { defineConfig } from "./config/define-config.ts";
export type { SpeConfig, SpeConfigInput } from "./config/schema.ts";
export { definePlugin } from "./plugins/types.ts";
export type {
  ContextProvider,
  LifecycleHook,
  LifecycleHookName,
  PluginServices,
  ProviderFactory,
  SpePlugin,
  ValidationResult,
} from "./plugins/types.ts";
