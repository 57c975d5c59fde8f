/**
 * Validation of a loaded config object: the zod schema, then rules the schema cannot express
 * (which providers exist, which need a model). Pure: no fs, no env. Every problem is reported as
 * `path: message`, all at once, so one run of `git spe doctor` shows the whole list.
 */
import type { z } from "zod";
import { configSchema, type SpeConfig } from "./schema.ts";
import { parseModelRef } from "./model-ref.ts";
import { pluginProblems } from "../plugins/check.ts";
import {
  builtinProviderNames,
  builtinProviders,
  isBuiltinProvider,
  modelRoles,
} from "./providers.ts";

export type ConfigValidation = { ok: true; config: SpeConfig } | { ok: false; problems: string[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(config)" : out;
}

function issueLines(issue: z.core.$ZodIssue): string[] {
  if (issue.code === "unrecognized_keys" && !issue.message.includes("environment")) {
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown option`);
  }
  return [`${formatPath(issue.path)}: ${issue.message}`];
}

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** Provider names a config may use: the built-in ones plus those its plugins register. */
export function knownProviders(plugins: unknown): string[] {
  const fromPlugins = Array.isArray(plugins)
    ? plugins.flatMap((p: unknown) =>
        isRecord(p) && isRecord(p.providers) ? Object.keys(p.providers) : [],
      )
    : [];
  return [...builtinProviderNames, ...fromPlugins];
}

/**
 * Rules over the raw input, so they are reported alongside schema problems instead of after
 * the user fixed those. Values of the wrong type are skipped here; the schema reports them.
 */
export function checkConfigRules(input: Raw): string[] {
  const problems: string[] = [];
  const known = knownProviders(input.plugins);
  const models = isRecord(input.models) ? input.models : {};
  for (const role of modelRoles) {
    const ref = models[role];
    if (typeof ref !== "string") continue;
    const parsed = parseModelRef(ref);
    if ("error" in parsed) continue;
    if (!known.includes(parsed.provider)) {
      problems.push(
        `models.${role}: unknown provider "${parsed.provider}" (known: ${known.join(", ")})`,
      );
    } else if (isBuiltinProvider(parsed.provider)) {
      const info = builtinProviders[parsed.provider];
      if (info.kind === "api" && parsed.model === undefined && info.defaultModel === undefined) {
        problems.push(
          `models.${role}: "${parsed.provider}" needs a model, e.g. "${parsed.provider}:llama3.1"`,
        );
      }
    }
  }
  for (const name of isRecord(input.providers) ? Object.keys(input.providers) : []) {
    if (!known.includes(name)) {
      problems.push(`providers.${name}: unknown provider (known: ${known.join(", ")})`);
    } else if (isBuiltinProvider(name) && builtinProviders[name].kind === "cli") {
      // Its key, base URL and retries are the CLI's own business; how long git spe waits is ours.
      const settings = (input.providers as Record<string, unknown>)[name];
      const others = isRecord(settings)
        ? Object.keys(settings).filter((k) => k !== "timeoutSec")
        : [];
      if (others.length > 0)
        problems.push(
          `providers.${name}: an agent CLI takes only timeoutSec (not ${others.join(", ")}); it reads its own key and base URL from its environment`,
        );
    }
  }
  problems.push(...pluginProblems(input.plugins));
  return problems;
}

export function validateConfig(input: unknown): ConfigValidation {
  const raw = input ?? {};
  const parsed = configSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap(issueLines)),
    ...(isRecord(raw) ? checkConfigRules(raw) : []),
  ];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, config: parsed.data };
}
