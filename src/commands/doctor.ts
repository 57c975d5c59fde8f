/**
 * `git spe doctor`: is this repository ready for git spe? Exit 0 when git and the config are
 * usable (missing keys, CLIs and hooks are warnings), 2 for an invalid config, 3 when git or
 * the repository is not usable (thrown before a report exists).
 */
import { ConfigError, ExitCode, SpeError } from "../errors.ts";
import { loadConfig } from "../config/load.ts";
import type { SpeConfig } from "../config/schema.ts";
import {
  describeCliRequirements,
  describeKeyRequirements,
  type CliRequirement,
  type KeyRequirement,
} from "../config/requirements.ts";
import type { ModelRole } from "../config/providers.ts";
import { inspectHooks, type HooksReport } from "../git/hooks.ts";
import type { RepoPaths } from "../git/repo.ts";
import { formatVersion, minimumGitVersion } from "../git/version.ts";
import { findExecutable } from "../util/find-executable.ts";
import { openRepository } from "../workspace.ts";
import { activePlugins } from "../plugins/environment.ts";
import { describeSandboxPolicy } from "../sandbox/describe.ts";
import { sandboxOffWarning } from "../sandbox/open-sandbox.ts";
import { probeSandbox } from "../sandbox/probe.ts";
import type { CommandContext } from "./command-context.ts";

export type CheckStatus = "ok" | "warn" | "error" | "info";

export interface DoctorCheck {
  status: CheckStatus;
  text: string;
}

export interface PluginSummary {
  name: string;
  origin: string;
  validators: string[];
  selectors: string[];
  providers: string[];
  hooks: string[];
}

function summarizePlugins(config: SpeConfig | undefined): PluginSummary[] {
  if (!config) return [];
  return activePlugins(config).map(({ plugin, origin }) => ({
    name: plugin.name,
    origin,
    validators: Object.keys(plugin.validators ?? {}),
    selectors: Object.keys(plugin.contextProviders ?? {}),
    providers: Object.keys(plugin.providers ?? {}),
    hooks: Object.keys(plugin.hooks ?? {}),
  }));
}

function describePlugin(p: PluginSummary): string {
  const parts = (
    [
      ["validators", p.validators],
      ["selectors", p.selectors],
      ["providers", p.providers],
      ["hooks", p.hooks],
    ] as const
  )
    .filter(([, names]) => names.length > 0)
    .map(([what, names]) => `${what}: ${names.join(", ")}`);
  return `${p.name} (${p.origin}${parts.length > 0 ? `; ${parts.join("; ")}` : ""})`;
}

export interface DoctorReport {
  exitCode: 0 | 2;
  git: { version: string; minimum: string };
  repository: RepoPaths;
  config: {
    file: string | null;
    shadowed: string[];
    valid: boolean;
    problems: string[];
    store: SpeConfig["store"] | null;
    models: Record<ModelRole, string> | null;
  };
  keys: KeyRequirement[];
  /** Active plugins in run order: "default" ones git spe adds, then plugins[i] of the config. */
  plugins: PluginSummary[];
  agentClis: (CliRequirement & { path: string | null })[];
  /** Whether model code can be confined here, and what the config lets it reach. */
  sandbox: {
    state: "on" | "off" | "unavailable";
    version: string | null;
    reason: string | null;
    fix: string | null;
    policy: string | null;
  };
  hooks: HooksReport;
  notes: { rewriteRef: boolean };
  /** Every check in display order; `warn` entries are the warnings. */
  checks: DoctorCheck[];
}

async function readConfig(
  root: string,
): Promise<{ config?: SpeConfig; report: DoctorReport["config"] }> {
  const report: DoctorReport["config"] = {
    file: null,
    shadowed: [],
    valid: true,
    problems: [],
    store: null,
    models: null,
  };
  try {
    const loaded = await loadConfig(root);
    Object.assign(report, {
      file: loaded.file ?? null,
      shadowed: loaded.shadowed,
      store: loaded.config.store,
      models: loaded.config.models,
    });
    return { config: loaded.config, report };
  } catch (error) {
    if (!(error instanceof SpeError)) throw error;
    report.valid = false;
    report.problems = error instanceof ConfigError ? error.problems : [error.message];
    report.file = error instanceof ConfigError ? (error.file ?? null) : null;
    return { report };
  }
}

export async function doctor(ctx: CommandContext): Promise<DoctorReport> {
  const { git, paths, gitVersion } = await openRepository(ctx);
  const checks: DoctorCheck[] = [];
  const check = (status: CheckStatus, text: string) => void checks.push({ status, text });

  const git_ = { version: formatVersion(gitVersion), minimum: formatVersion(minimumGitVersion) };
  check("ok", `git ${git_.version} (needs ${git_.minimum} or newer)`);
  check(
    "ok",
    `repository ${paths.toplevel}${paths.isLinkedWorktree ? ` (linked worktree of ${paths.commonDir})` : ""}`,
  );

  const { config, report: configReport } = await readConfig(paths.toplevel);
  if (!configReport.valid) {
    check(
      "error",
      `config ${configReport.file ?? ""} is invalid:\n${configReport.problems.map((p) => `      ${p}`).join("\n")}`,
    );
  } else {
    check("ok", `config ${configReport.file ?? "none (defaults)"}; store: ${configReport.store}`);
    for (const file of configReport.shadowed)
      check("warn", `${file} is ignored: ${configReport.file} takes precedence`);
  }
  if (config) {
    const { spec, plan, exec } = config.models;
    check("info", `models: spec ${spec}, plan ${plan}, exec ${exec}`);
  }
  const plugins = summarizePlugins(config);
  if (plugins.length > 0) check("info", `plugins: ${plugins.map(describePlugin).join(", ")}`);

  const keys = describeKeyRequirements(config, ctx.env);
  for (const key of keys) {
    const use =
      key.usedBy.length > 0 ? `needed by models.${key.usedBy.join(", models.")}` : "unused";
    if (key.setVariable) check("ok", `${key.setVariable} is set (${key.provider}, ${use})`);
    else if (key.usedBy.length > 0 && !key.optional)
      check("warn", `${key.variables.join(" or ")} is not set (${use})`);
    else check("info", `${key.variables.join(" or ")} is not set (${key.provider}, ${use})`);
  }

  const agentClis = await Promise.all(
    describeCliRequirements(config).map(async (cli) => ({
      ...cli,
      path: (await findExecutable(cli.bin, ctx.env)) ?? null,
    })),
  );
  for (const cli of agentClis) {
    if (cli.path) check("ok", `${cli.bin} at ${cli.path} (${cli.provider})`);
    else if (cli.usedBy.length > 0)
      check(
        "warn",
        `${cli.bin} is not on PATH (${cli.provider}, needed by models.${cli.usedBy.join(", models.")}): ${cli.installHint}`,
      );
    else check("info", `${cli.bin} is not on PATH (${cli.provider}, unused)`);
  }

  const probe = await probeSandbox(ctx.env);
  const settings = config?.exec.sandbox;
  const sandbox: DoctorReport["sandbox"] = {
    state: settings === "off" ? "off" : probe.available ? "on" : "unavailable",
    version: probe.available ? probe.version : null,
    reason: probe.available ? null : probe.reason,
    fix: probe.available ? null : probe.fix,
    policy: settings ? describeSandboxPolicy(settings, probe.available ? probe.version : "") : null,
  };
  if (sandbox.state === "off") check("warn", `sandbox: ${sandboxOffWarning}`);
  else if (sandbox.state === "unavailable")
    check(
      "warn",
      `no sandbox: ${sandbox.reason}; exec and validate refuse to run (exit 3). Fix: ${sandbox.fix}`,
    );
  else if (sandbox.policy) check("ok", `sandbox: ${sandbox.policy}`);

  const hooks = await inspectHooks(paths.hooksDir);
  for (const hook of hooks.hooks) {
    if (hook.state === "git-spe") check("ok", `${hook.name} hook runs git spe (${hook.file})`);
    else check("warn", `${hook.name} hook does not run git spe (${hook.state}: ${hook.file})`);
  }

  const { stdout } = await git.run(["config", "--get-all", "notes.rewriteRef"], {
    okExitCodes: [1],
  });
  const rewriteRef = stdout.split("\n").includes("refs/notes/spe");
  if (rewriteRef) check("ok", "notes.rewriteRef includes refs/notes/spe");
  else
    check(
      "warn",
      "notes.rewriteRef lacks refs/notes/spe, so notes would not follow amend/rebase: run git spe init",
    );

  return {
    exitCode: configReport.valid ? ExitCode.ok : ExitCode.usage,
    git: git_,
    repository: paths,
    config: configReport,
    keys,
    plugins,
    agentClis,
    sandbox,
    hooks,
    notes: { rewriteRef },
    checks,
  };
}

const marks: Record<CheckStatus, string> = { ok: "✓", warn: "!", error: "✗", info: "·" };

export function formatDoctorReport(report: DoctorReport): string[] {
  const warnings = report.checks.filter((c) => c.status === "warn").length;
  return [
    "git spe doctor",
    ...report.checks.map((c) => `  ${marks[c.status]} ${c.text}`),
    report.exitCode === 0
      ? `git spe can run here${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}.`
      : "Fix the config problems above.",
  ];
}
