/**
 * The single source of truth for `.spe.config.ts`: types are inferred from it, `schema.json` is
 * generated from it (scripts/write-schema.ts, kept in sync by a test), and validation reports
 * every problem as `path: message`. Objects are strict so a typo is an error, not a silent no-op.
 */
import { z } from "zod";
import type { SpePlugin } from "../plugins/types.ts";
import { defaultBootstrapHosts, defaultModels } from "./providers.ts";
import { parseModelRef } from "./model-ref.ts";

const modelRef = z.string().superRefine((value, ctx) => {
  const parsed = parseModelRef(value);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
});

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name, e.g. MY_API_KEY");

const price = z.strictObject({
  input: z.number().nonnegative().describe("USD per million input tokens"),
  output: z.number().nonnegative().describe("USD per million output tokens"),
  cacheRead: z.number().nonnegative().optional().describe("USD per million cache-read tokens"),
  cacheWrite: z.number().nonnegative().optional().describe("USD per million cache-write tokens"),
});

const providerSettings = z.strictObject(
  {
    baseUrl: z.url({ error: "must be a URL, e.g. http://127.0.0.1:11434/v1" }).optional(),
    apiKeyEnv: envName.optional().describe("the environment variable holding the key"),
    timeoutSec: z.number().positive().optional(),
    maxRetries: z.int().min(0).max(10).optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" && issue.keys.some((k) => /key|token|secret/i.test(k))
        ? `unrecognized key ${issue.keys.map((k) => `"${k}"`).join(", ")}: keys are only read from the environment; name the variable with apiKeyEnv`
        : undefined,
  },
);

const positiveInt = z.int().positive();

const budget = z.strictObject({
  spec: positiveInt.default(900_000),
  plan: positiveInt.default(900_000),
  exec: positiveInt.default(150_000),
});

/** "host", "host:port", "*.example.com", or "*" (any host). */
const hostPattern = z
  .string()
  .regex(
    /^(\*|(\*\.)?[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/,
    'must be a host, "host:port", "*.domain" or "*"',
  );

const sandboxSettings = z.strictObject({
  writable: z
    .array(z.string().min(1))
    .default([])
    .describe('more writable paths, e.g. "~/.npm" (a cache shared with your own installs)'),
  read: z
    .array(z.string().min(1))
    .default([])
    .describe('more readable paths under $HOME, e.g. "~/.gitconfig" (the rest of $HOME is hidden)'),
  env: z.array(envName).default([]).describe("more environment variables passed through"),
  network: z
    .strictObject({
      bash: z.array(hostPattern).default([]),
      validate: z.array(hostPattern).default([]),
      bootstrap: z.array(hostPattern).default([...defaultBootstrapHosts]),
      agent: z.array(hostPattern).default([]),
    })
    .prefault({})
    .describe("hosts allowed per use; an agent CLI also gets its own API host"),
});

/** How much a phase's model thinks: a level, or a token budget (see providers/thinking.ts). */
const thinkingSetting = z.union([
  z.enum(["off", "low", "medium", "high", "max"]),
  z.int().min(1024, "a thinking budget is at least 1024 tokens").max(200_000),
]);

const plugin = z.custom<SpePlugin>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as { name?: unknown }).name === "string" &&
    (value as { name: string }).name.length > 0,
  { error: "must be a plugin object made with definePlugin({ name, … })" },
);

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  store: z.enum(["dir", "notes"]).default("dir"),
  models: z
    .strictObject({
      spec: modelRef.default(defaultModels.spec),
      plan: modelRef.default(defaultModels.plan),
      exec: modelRef.default(defaultModels.exec),
    })
    .prefault({}),
  thinking: z
    .strictObject({
      spec: thinkingSetting.optional(),
      plan: thinkingSetting.optional(),
      exec: thinkingSetting.optional(),
    })
    .prefault({})
    .describe(
      'per phase: "off" | "low" | "medium" | "high" | "max" or a token budget; unset leaves the model\'s default',
    ),
  providers: z.record(z.string(), providerSettings).default({}),
  prices: z.record(z.string(), price).default({}).describe("per-model price overrides"),
  validate: z.array(z.string().min(1)).default([]),
  context: z
    .strictObject({
      exclude: z.array(z.string()).default([]),
      maxFileBytes: positiveInt.default(1_000_000),
      budget: budget.prefault({}),
    })
    .prefault({}),
  exec: z
    .strictObject({
      merge: z.enum(["ff", "merge", "squash", "none"]).default("ff"),
      maxRepairs: z.int().min(0).default(2),
      parallel: z
        .int()
        .min(1)
        .max(16)
        .default(1)
        .describe("steps run at once when the plan lets them (dependsOn); 1: one after another"),
      commandTimeoutSec: positiveInt.default(600),
      worktree: z
        .strictObject({ deps: z.enum(["link", "install", "none"]).default("link") })
        .prefault({}),
      protect: z
        .array(z.string().min(1))
        .default([])
        .describe(
          'more paths that decide "done" (gitignore-style): a step changing one is held back before merging',
        ),
      sandbox: z
        .union([z.literal("off"), sandboxSettings])
        .prefault({})
        .describe('what model-run commands may reach; "off" runs them unconfined (not advised)'),
    })
    .prefault({}),
  hooks: z
    .strictObject({
      prePush: z
        .strictObject({
          requireValidated: z.boolean().default(true),
          runValidators: z.boolean().default(false),
          pushNotes: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  plugins: z.array(plugin).default([]),
});

/** The resolved configuration, every default filled in. */
export type SpeConfig = z.output<typeof configSchema>;
/** What a user writes in `.spe.config.ts`. */
export type SpeConfigInput = z.input<typeof configSchema>;
