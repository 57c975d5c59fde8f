/**
 * Installing git spe's hooks where git really runs them (`git rev-parse --git-path hooks`,
 * which honours core.hooksPath). With husky (core.hooksPath = .husky/_) a marked block is
 * appended to `.husky/<hook>`, which husky runs with `sh -e` and the hook's arguments. In a
 * plain hooks directory the stub from this package's hooks/ is written; a hook already there is
 * renamed <hook>.spe-chained and the stub runs it first. Never overwrites; idempotent (the
 * `>>> git spe >>>` marker says it is installed).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { findSelfEntry } from "../config/self-entry.ts";
import { speHookNames } from "../git/hooks.ts";

export const hookMarker = "# >>> git spe >>>";

export type HookMode = "git" | "husky" | "none";

export interface HookInstall {
  name: string;
  file: string;
  action: "installed" | "chained" | "appended" | "left-alone" | "skipped";
  note?: string;
}

export function stubSource(name: string): Promise<string> {
  return fs.readFile(path.join(path.dirname(path.dirname(findSelfEntry())), "hooks", name), "utf8");
}

/** The block appended to `.husky/<hook>` (husky supplies the shell and the arguments). */
export function huskyBlock(name: string): string {
  const call =
    name === "pre-push"
      ? [
          '    git-spe hook pre-push "$@"',
          "  else",
          '    echo "git spe: the pre-push gate needs git-spe on PATH (npm install -g git-spe); push once without it: SPE=0 git push" >&2',
          "    exit 1",
        ]
      : [
          `    git-spe hook ${name} "$@"`,
          "  else",
          '    echo "git spe: git-spe is not on PATH, so no Spe-Spec trailer was added" >&2',
        ];
  return [
    hookMarker,
    `# git spe ${name} (added by git spe init). SPE=0 skips it.`,
    'if [ "${SPE:-1}" != "0" ]; then',
    "  if command -v git-spe >/dev/null 2>&1; then",
    ...call,
    "  fi",
    "fi",
    "# <<< git spe <<<",
    "",
  ].join("\n");
}

const read = (file: string) => fs.readFile(file, "utf8").catch(() => undefined);

/** husky 9 points core.hooksPath at `.husky/_`. */
export function isHuskyHooksDir(hooksDir: string): boolean {
  return path.basename(hooksDir) === "_" && path.basename(path.dirname(hooksDir)) === ".husky";
}

async function installHusky(name: string, huskyDir: string): Promise<HookInstall> {
  const file = path.join(huskyDir, name);
  const current = await read(file);
  if (current?.includes(hookMarker))
    return { name, file, action: "left-alone", note: "already there" };
  const block = huskyBlock(name);
  await fs.mkdir(huskyDir, { recursive: true });
  await fs.writeFile(
    file,
    current === undefined ? block : `${current.replace(/\n?$/, "\n")}\n${block}`,
    { mode: 0o755 },
  );
  return { name, file, action: current === undefined ? "installed" : "appended" };
}

async function installGit(name: string, hooksDir: string): Promise<HookInstall> {
  const file = path.join(hooksDir, name);
  const current = await read(file);
  if (current?.includes(hookMarker))
    return { name, file, action: "left-alone", note: "already there" };
  await fs.mkdir(hooksDir, { recursive: true });
  let action: HookInstall["action"] = "installed";
  if (current !== undefined) {
    const chained = `${file}.spe-chained`;
    if ((await read(chained)) !== undefined) {
      return {
        name,
        file,
        action: "left-alone",
        note: `both ${name} and ${name}.spe-chained exist; not touching either`,
      };
    }
    await fs.rename(file, chained);
    action = "chained";
  }
  // "wx": if another hook appeared meanwhile, fail rather than overwrite it.
  await fs.writeFile(file, await stubSource(name), { mode: 0o755, flag: "wx" });
  return {
    name,
    file,
    action,
    ...(action === "chained"
      ? { note: `your hook runs first (${path.basename(file)}.spe-chained)` }
      : {}),
  };
}

export async function installHooks(
  hooksDir: string,
  toplevel: string,
  mode: HookMode,
): Promise<HookInstall[]> {
  if (mode === "none")
    return speHookNames.map((name) => ({
      name,
      file: "",
      action: "skipped",
      note: "--hooks none",
    }));
  if (mode === "husky") {
    const huskyDir = isHuskyHooksDir(hooksDir)
      ? path.dirname(hooksDir)
      : path.join(toplevel, ".husky");
    return Promise.all(speHookNames.map((name) => installHusky(name, huskyDir)));
  }
  return Promise.all(speHookNames.map((name) => installGit(name, hooksDir)));
}

/** husky when git already runs its hooks from .husky/_, otherwise plain git hooks. */
export function defaultHookMode(hooksDir: string): HookMode {
  return isHuskyHooksDir(hooksDir) ? "husky" : "git";
}
