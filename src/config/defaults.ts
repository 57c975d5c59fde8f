/**
 * The configuration when there is no config file: what the schema makes of `{}` (a unit test
 * holds the two equal), written out so a command in a repository without a config never loads
 * zod (~40 ms of its start).
 */
import { defaultBootstrapHosts, defaultModels } from "./providers.ts";
import type { SpeConfig } from "./schema.ts";

/** A fresh object each call: callers may extend what they get. */
export function defaultConfig(): SpeConfig {
  return {
    store: "dir",
    models: { ...defaultModels },
    thinking: {},
    providers: {},
    prices: {},
    validate: [],
    context: {
      exclude: [],
      maxFileBytes: 1_000_000,
      budget: { spec: 900_000, plan: 900_000, exec: 150_000 },
    },
    exec: {
      merge: "ff",
      maxRepairs: 2,
      parallel: 1,
      commandTimeoutSec: 600,
      worktree: { deps: "link" },
      protect: [],
      sandbox: {
        writable: [],
        read: [],
        env: [],
        network: {
          bash: [],
          validate: [],
          bootstrap: [...defaultBootstrapHosts],
          agent: [],
        },
      },
    },
    hooks: { prePush: { requireValidated: true, runValidators: false, pushNotes: true } },
    plugins: [],
  };
}
