/**
 * The environment inside the sandbox: an allowlist, not a blocklist. A variable reaches a
 * sandboxed command only when it is named here, in `exec.sandbox.env`, or by the use itself
 * (an agent CLI's own key and base URL). Everything else — API keys, tokens, SSH_AUTH_SOCK,
 * GIT_DIR and friends, NODE_OPTIONS — stays outside.
 */

/** Names passed through when set. */
const allowedNames = new Set([
  "PATH",
  "LANG",
  "LANGUAGE",
  "TERM",
  "TZ",
  "CI",
  "NO_COLOR",
  "FORCE_COLOR",
  "COLORTERM",
  "COLUMNS",
  "LINES",
  "USER",
  "LOGNAME",
  "SHELL",
  "EDITOR",
  "PAGER",
  "GIT_TERMINAL_PROMPT",
]);

/** Prefixes passed through (locale categories). */
const allowedPrefixes = ["LC_"];

export interface SandboxEnvOptions {
  /** A name this returns true for never passes, allowlisted or not (keys, tokens). */
  isSecret?: (name: string) => boolean;
  /** `$HOME` inside. */
  home: string;
  /** More names to pass through (`exec.sandbox.env`, an agent CLI's own variables). */
  extraNames?: Iterable<string>;
  /** Set on top (the proxy settings). */
  set?: NodeJS.ProcessEnv;
}

export function isAllowedVariable(name: string, extra: ReadonlySet<string>): boolean {
  return (
    allowedNames.has(name) || extra.has(name) || allowedPrefixes.some((p) => name.startsWith(p))
  );
}

/** The allowlisted copy of `env` with HOME and TMPDIR pointing at the sandbox's own. */
export function sandboxEnvironment(
  env: NodeJS.ProcessEnv,
  options: SandboxEnvOptions,
): NodeJS.ProcessEnv {
  const extra = new Set(options.extraNames ?? []);
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && isAllowedVariable(name, extra) && !options.isSecret?.(name))
      out[name] = value;
  out.HOME = options.home;
  out.TMPDIR = "/tmp";
  // stdin is closed anyway: git fails fast instead of asking for credentials.
  out.GIT_TERMINAL_PROMPT = "0";
  return { ...out, ...options.set };
}
