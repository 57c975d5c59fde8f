/** The commented `.spe.config.ts` that `git spe init` writes. Pure. */
import { defaultBootstrapHosts, defaultModels } from "./providers.ts";

export interface ConfigTemplateOptions {
  store: "dir" | "notes";
}

export function renderConfigTemplate(options: ConfigTemplateOptions): string {
  return `// git spe configuration. Every field is optional; this file shows the defaults.
// Keys never go here: git spe reads ANTHROPIC_API_KEY, GEMINI_API_KEY (or GOOGLE_API_KEY) and
// OPENAI_API_KEY from the environment. Check this file with: git spe doctor
import { defineConfig } from "git-spe";

export default defineConfig({
  // Where specs, plans and run records live: "dir" (.spe/<id>/, commit them) or "notes"
  // (refs/notes/spe, shared with: git spe notes push).
  store: ${JSON.stringify(options.store)},

  // "provider:model" (anthropic, google, openai) or an agent CLI: "claude-code", "gemini-cli".
  models: {
    spec: ${JSON.stringify(defaultModels.spec)},
    plan: ${JSON.stringify(defaultModels.plan)},
    exec: ${JSON.stringify(defaultModels.exec)},
  },

  // How much each phase's model thinks: "off" | "low" | "medium" | "high" | "max" or a token
  // budget (≥ 1024); unset leaves the model's default. E.g. thinking: { plan: "high" },
  thinking: {},

  // Optional base URLs, e.g. a local OpenAI-compatible server:
  // providers: { openai: { baseUrl: "http://127.0.0.1:11434/v1" } },

  // Shell commands run in the scratch worktree after every step and at the end, e.g. ["npm test"].
  validate: [],

  context: {
    // Extra exclusions (gitignore syntax) on top of .speignore.
    exclude: [],
    maxFileBytes: 1_000_000,
    budget: { spec: 900_000, plan: 900_000, exec: 150_000 },
  },

  exec: {
    merge: "ff", // "ff" | "merge" | "squash" | "none"
    maxRepairs: 2,
    commandTimeoutSec: 600,
    worktree: { deps: "link" }, // "link" | "install" | "none"
    // Paths that decide "done" besides tests, validator scripts and runner/CI config (which
    // are protected already): a step that changes one waits for you before merging.
    protect: [], // e.g. "test-fixtures/**"
    // Model commands, validators, installs and agent CLIs run in a bubblewrap sandbox: they
    // write only the worktree, a private /tmp and $HOME, and the paths below; the git dir is
    // read-only; the network is off but for the hosts listed per use. "off" disables it.
    sandbox: {
      writable: [], // e.g. "~/.npm" to share your npm cache
      read: [], // more of $HOME to show, e.g. "~/.gitconfig"
      env: [], // more environment variables to pass (keys never pass)
      network: {
        bash: [],
        validate: [],
        bootstrap: ${JSON.stringify(defaultBootstrapHosts).replaceAll(",", ", ")},
        agent: [], // an agent CLI (claude-code, gemini-cli) always reaches its own API host
      },
    },
  },

  hooks: {
    prePush: { requireValidated: true, runValidators: false, pushNotes: true },
  },

  // Plugins run in this order. Without a "node" plugin here git spe still provides node_modules
  // in the scratch worktree (node({ validators: false })). To also validate with your scripts:
  //   import { node } from "git-spe/plugins/node";     plugins: [node()]      (test, typecheck, lint)
  //   import { python } from "git-spe/plugins/python"; plugins: [python()]    (pytest, ruff, flake8; a venv)
  plugins: [],
});
`;
}

export const speDirGitignore = `# git spe: specs and plans are meant to be committed; run logs and scratch files are not.
/*/runs/
*.lock
*.tmp
`;

export const speignoreTemplate = `# Files git spe never packs into model context (gitignore syntax), on top of .gitignore.
# Lockfiles are large and rarely help a model.
package-lock.json
npm-shrinkwrap.json
yarn.lock
pnpm-lock.yaml
bun.lock
bun.lockb
Cargo.lock
poetry.lock
uv.lock
go.sum
# Generated files: source maps and minified bundles cost many tokens and teach a model little.
*.map
*.min.js
*.min.css
`;
