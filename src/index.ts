/** The programmatic API of git spe: what a `.spe.config.ts` or a plugin imports. */
export { defineConfig } from "./config/define-config.ts";
export type { SpeConfig, SpeConfigInput } from "./config/schema.ts";
export { definePlugin } from "./plugins/types.ts";
export type {
  ContextProvider,
  DeepReadonly,
  PluginConfig,
  PluginExecOptions,
  PluginExecResult,
  PluginLogger,
  PluginProvider,
  PluginServices,
  ProviderFactory,
  ProviderFactoryContext,
  SelectorContext,
  SpePlugin,
  TestCountReader,
  TestCounts,
  ValidationResult,
  ValidationStage,
  Validator,
  ValidatorContext,
} from "./plugins/types.ts";
export { lifecycleHookOrder } from "./plugins/events.ts";
export { readOnlyMarker } from "./sandbox/read-only-marker.ts";
export type {
  ExecAfterEvent,
  ExecBeforeEvent,
  HookContext,
  LifecycleEvents,
  LifecycleHook,
  LifecycleHookName,
  LifecycleHooks,
  MergeAfterEvent,
  MergeBeforeEvent,
  PlanAfterEvent,
  PlanBeforeEvent,
  RunEvent,
  SpecAfterEvent,
  SpecBeforeEvent,
  StepAfterEvent,
  StepBeforeEvent,
  WorktreeReadyEvent,
} from "./plugins/events.ts";
export type { Plan, PlanFile, PlanStep } from "./plan/schema.ts";
export type {
  CommandRun,
  MergeRecord,
  RunStatus,
  ValidationGate,
  ValidationRecord,
} from "./workflow/execute/run-state.ts";
export type { DriftReport } from "./workflow/execute/drift.ts";
export type { ValidationChange, ValidationChangeKind } from "./protected/classify.ts";
export type {
  JsonSchemaRequest,
  ModelCallRequest,
  ModelCallResult,
  ModelProvider,
  ModelUsage,
} from "./providers/types.ts";
export type { ExecutorEvent, StepExecutionRequest, StepExecutionResult } from "./agent/types.ts";
