/**
 * `git spe init`: the files and git settings git spe relies on. Idempotent: an existing file is
 * never overwritten (it is reported as left alone), and settings already in place are not
 * rewritten.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { renderGithubWorkflow, renderGitlabJob } from "../ci/workflows.ts";
import { findConfigFiles, loadConfig } from "../config/load.ts";
import { builtinProviders, isBuiltinProvider, type ProviderInfo } from "../config/providers.ts";
import type { SpeConfig } from "../config/schema.ts";
import { packageVersion } from "../util/package-version.ts";
import { renderConfigTemplate, speDirGitignore, speignoreTemplate } from "../config/template.ts";
import type { Git } from "../git/exec.ts";
import {
  defaultHookMode,
  installHooks,
  isHuskyHooksDir,
  type HookInstall,
} from "../hooks/install.ts";
import { openRepository } from "../workspace.ts";
import type { CommandContext } from "./command-context.ts";

export interface InitOptions {
  store?: "dir" | "notes";
  hooks?: "husky" | "git" | "none";
  /** Write the CI job that executes pushed plans (see src/ci/workflows.ts). */
  ci?: "github" | "gitlab";
}

export interface InitFileResult {
  path: string;
  action: "created" | "left-alone";
  reason?: string;
}

export interface InitConfigResult {
  key: string;
  value: string;
  action: "set" | "unchanged";
}

export interface InitResult {
  root: string;
  files: InitFileResult[];
  gitConfig: InitConfigResult[];
  hooks: HookInstall[];
}

async function createExclusive(
  root: string,
  relative: string,
  content: string,
): Promise<InitFileResult> {
  const file = path.join(root, relative);
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    // "wx": fail instead of overwriting, even if the file appeared since we looked.
    await fs.writeFile(file, content, { flag: "wx" });
    return { path: relative, action: "created" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return { path: relative, action: "left-alone", reason: "already exists" };
    }
    throw error;
  }
}

async function getConfig(git: Git, args: string[]): Promise<string[]> {
  const { stdout } = await git.run(["config", ...args], { okExitCodes: [1] });
  return stdout.split("\n").filter((line) => line !== "");
}

async function configureNotes(git: Git): Promise<InitConfigResult[]> {
  const results: InitConfigResult[] = [];
  const rewriteRefs = await getConfig(git, ["--get-all", "notes.rewriteRef"]);
  if (rewriteRefs.includes("refs/notes/spe")) {
    results.push({ key: "notes.rewriteRef", value: "refs/notes/spe", action: "unchanged" });
  } else {
    // Multi-valued: add beside any ref the user already rewrites.
    await git.run(["config", "--local", "--add", "notes.rewriteRef", "refs/notes/spe"]);
    results.push({ key: "notes.rewriteRef", value: "refs/notes/spe", action: "set" });
  }
  for (const key of ["notes.rewrite.amend", "notes.rewrite.rebase"]) {
    const [current] = await getConfig(git, ["--type=bool", "--get", key]);
    if (current === "true") {
      results.push({ key, value: "true", action: "unchanged" });
    } else {
      await git.run(["config", "--local", key, "true"]);
      results.push({ key, value: "true", action: "set" });
    }
  }
  return results;
}

export async function init(ctx: CommandContext, options: InitOptions = {}): Promise<InitResult> {
  const { git, paths } = await openRepository(ctx);
  const root = paths.toplevel;
  const files: InitFileResult[] = [];

  const existingConfigs = await findConfigFiles(root);
  if (existingConfigs.length > 0) {
    const existing = path.relative(root, existingConfigs[0] ?? root);
    const reason =
      existing === ".spe.config.ts" ? "already exists" : `a config already exists: ${existing}`;
    files.push({ path: ".spe.config.ts", action: "left-alone", reason });
  } else {
    files.push(
      await createExclusive(
        root,
        ".spe.config.ts",
        renderConfigTemplate({ store: options.store ?? "dir" }),
      ),
    );
  }
  files.push(await createExclusive(root, path.join(".spe", ".gitignore"), speDirGitignore));
  files.push(await createExclusive(root, ".speignore", speignoreTemplate));

  if (options.ci) files.push(await writeCiFile(root, options.ci));

  const gitConfig = await configureNotes(git);
  const mode = options.hooks ?? defaultHookMode(paths.hooksDir);
  const hooks = await installHooks(paths.hooksDir, root, mode);
  if (mode === "husky" && !isHuskyHooksDir(paths.hooksDir)) {
    ctx.log.warn(
      "husky is not set up here (core.hooksPath is not .husky/_): run npx husky so git runs .husky/ hooks",
    );
  }
  return { root, files, gitConfig, hooks };
}

/** What the exec model needs on CI: its key variables (by the config's names) and its CLI. */
export function ciNeeds(config: SpeConfig): { keyEnvs: string[]; packages: string[] } {
  const ref = config.models.exec;
  const name = ref.split(":")[0] ?? "";
  if (!isBuiltinProvider(name)) return { keyEnvs: [], packages: [] };
  const info: ProviderInfo = builtinProviders[name];
  return {
    keyEnvs: [config.providers[name]?.apiKeyEnv ?? (info.keyEnv[0] as string)],
    packages: info.kind === "cli" ? [info.package] : [],
  };
}

async function writeCiFile(root: string, ci: "github" | "gitlab"): Promise<InitFileResult> {
  const { config } = await loadConfig(root);
  const options = { version: packageVersion("git-spe"), ...ciNeeds(config) };
  return ci === "github"
    ? createExclusive(root, ".github/workflows/git-spe.yml", renderGithubWorkflow(options))
    : createExclusive(root, ".gitlab/git-spe.gitlab-ci.yml", renderGitlabJob(options));
}

export function formatInitResult(result: InitResult, requestedStore: string | undefined): string[] {
  const lines = [`git spe init in ${result.root}`];
  for (const file of result.files) {
    lines.push(
      file.action === "created"
        ? `  created     ${file.path}`
        : `  left alone  ${file.path} (${file.reason ?? "exists"})`,
    );
  }
  for (const entry of result.gitConfig) {
    lines.push(
      `  ${entry.action === "set" ? "set        " : "unchanged  "} ${entry.key} = ${entry.value}`,
    );
  }
  for (const hook of result.hooks) {
    const where = hook.file ? path.relative(result.root, hook.file) || hook.file : hook.name;
    lines.push(
      `  ${hook.action.replace("-", " ").padEnd(11)} ${where}${hook.note ? ` (${hook.note})` : ""}`,
    );
  }
  const configKept = result.files.find((f) => f.path === ".spe.config.ts")?.action === "left-alone";
  if (configKept && requestedStore) {
    lines.push(
      `note: --store ${requestedStore} was not applied to the existing config; edit it to change the store.`,
    );
  }
  lines.push("Next: review .spe.config.ts (add your validate commands), then run git spe doctor.");
  return lines;
}
