/**
 * What a config needs from the environment: which key variables and which agent CLIs its
 * models use. Reports names and presence only, never a value. Pure.
 */
import type { SpeConfig } from "./schema.ts";
import { parseModelRef } from "./model-ref.ts";
import { builtinProviders, builtinProviderNames, modelRoles, type ModelRole } from "./providers.ts";

export interface KeyRequirement {
  provider: string;
  /** Variables that may hold the key, in order of preference. */
  variables: string[];
  /** The first of `variables` that is set, if any. */
  setVariable: string | undefined;
  usedBy: ModelRole[];
  optional: boolean;
}

export interface CliRequirement {
  provider: string;
  bin: string;
  installHint: string;
  usedBy: ModelRole[];
}

function rolesUsing(config: SpeConfig | undefined, provider: string): ModelRole[] {
  if (!config) return [];
  return modelRoles.filter((role) => {
    const ref = parseModelRef(config.models[role]);
    return !("error" in ref) && ref.provider === provider;
  });
}

export function describeKeyRequirements(
  config: SpeConfig | undefined,
  env: NodeJS.ProcessEnv,
): KeyRequirement[] {
  const out: KeyRequirement[] = [];
  for (const provider of builtinProviderNames) {
    const info = builtinProviders[provider];
    if (info.kind !== "api") continue;
    const custom = config?.providers[provider]?.apiKeyEnv;
    const variables = custom ? [custom] : [...info.keyEnv];
    out.push({
      provider,
      variables,
      setVariable: variables.find((name) => (env[name] ?? "") !== ""),
      usedBy: rolesUsing(config, provider),
      optional: info.keyOptional,
    });
  }
  return out;
}

export function describeCliRequirements(config: SpeConfig | undefined): CliRequirement[] {
  const out: CliRequirement[] = [];
  for (const provider of builtinProviderNames) {
    const info = builtinProviders[provider];
    if (info.kind !== "cli") continue;
    out.push({
      provider,
      bin: info.bin,
      installHint: info.installHint,
      usedBy: rolesUsing(config, provider),
    });
  }
  return out;
}
