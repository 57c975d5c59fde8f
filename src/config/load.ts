/**
 * Config discovery at the repository root with cosmiconfig. TypeScript and ESM configs go
 * through cosmiconfig-typescript-loader (jiti, in memory: cosmiconfig 9's own TS loader writes
 * a temporary file into the repository), with `git-spe` (and `git-spe/plugins/<name>`,
 * `git-spe/testing`) aliased to this copy of git spe.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Loader } from "cosmiconfig";
import { ConfigError } from "../errors.ts";
import type { SpeConfig } from "./schema.ts";
import { selfAliases } from "./self-entry.ts";
import { defaultConfig } from "./defaults.ts";

/** In order of precedence: the first one present wins. */
export const configSearchPlaces = [
  ".spe.config.ts",
  ".spe.config.mjs",
  ".spe.config.js",
  ".spe.config.json",
  ".sperc.json",
  "package.json",
] as const;

export interface LoadedConfig {
  config: SpeConfig;
  /** Absolute path of the file the config came from; undefined when defaults are used. */
  file: string | undefined;
  /** Other config files present at the root that were not read (only the first counts). */
  shadowed: string[];
}

/** Config files present in `root`, in precedence order (package.json only with an "spe" key). */
export async function findConfigFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of configSearchPlaces) {
    const file = path.join(root, name);
    try {
      if (name === "package.json") {
        const pkg: unknown = JSON.parse(await fs.readFile(file, "utf8"));
        if (typeof pkg === "object" && pkg !== null && "spe" in pkg) found.push(file);
      } else {
        await fs.access(file);
        found.push(file);
      }
    } catch {
      // absent or unreadable package.json: not a config source
    }
  }
  return found;
}

function createScriptLoader(): Loader {
  let load: Loader | undefined;
  return async (file, content) => {
    try {
      // Loaded only for a script config: jiti costs ~40 ms of every command's start.
      if (!load) {
        const { TypeScriptLoader } = await import("cosmiconfig-typescript-loader");
        load = TypeScriptLoader({ alias: selfAliases(), fsCache: false, moduleCache: false });
      }
      return await load(file, content);
    } catch (error) {
      // The loader labels every failure "failed to compile", also a config that throws.
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(message.replace(/^TypeScriptLoader failed to compile TypeScript:\n/, ""));
    }
  };
}

/** One line from a multi-line loader error: drop code frames and blank lines. */
export function condenseMessage(message: string): string {
  const kept = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^(>|\||\d+\s*\|)/.test(line));
  return [...new Set(kept)].join(" ").replace(/\s+/g, " ");
}

/** Absent for certain: a missing file (or a missing directory on its way). */
const missing = (error: unknown) =>
  ["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");

/** "absent", "other" (present, or not readable for another reason), or the parsed object. */
async function probe(file: string, parse: boolean): Promise<"absent" | "other" | object> {
  try {
    if (!parse) {
      await fs.lstat(file);
      return "other";
    }
    const pkg: unknown = JSON.parse(await fs.readFile(file, "utf8"));
    return typeof pkg === "object" && pkg !== null && !Array.isArray(pkg) ? pkg : "other";
  } catch (error) {
    return missing(error) ? "absent" : "other";
  }
}

/**
 * True when cosmiconfig could find nothing at `root` and would not throw: no config file, a
 * package.json that is absent or a JSON object without an "spe" key, and none of cosmiconfig's
 * own "meta" settings in the current directory (a package.json "cosmiconfig" key, package.yaml,
 * .config/). Anything else, an unreadable file included, goes through cosmiconfig. Then the
 * defaults come without loading cosmiconfig, a tenth of `git spe context`'s start-up.
 */
async function plainlyNoConfig(root: string): Promise<boolean> {
  const cwd = process.cwd();
  for (const name of configSearchPlaces) {
    if (name === "package.json") continue;
    if ((await probe(path.join(root, name), false)) !== "absent") return false;
  }
  for (const [dir, key] of [
    [root, "spe"],
    [cwd, "cosmiconfig"],
  ] as const) {
    const pkg = await probe(path.join(dir, "package.json"), true);
    if (pkg === "other" || (typeof pkg === "object" && key in pkg)) return false;
  }
  for (const name of ["package.yaml", ".config"])
    if ((await probe(path.join(cwd, name), false)) !== "absent") return false;
  return true;
}

/** Loads and validates the config at `root`; defaults when there is none. */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  if (await plainlyNoConfig(root))
    return { config: defaultConfig(), file: undefined, shadowed: [] };
  const { cosmiconfig } = await import("cosmiconfig");
  const scriptLoader = createScriptLoader();
  let result;
  try {
    // Inside the try: cosmiconfig() itself reads package.json (and .config/config.*) in the
    // current directory for its own "meta" settings, and throws on a malformed one.
    const explorer = cosmiconfig("spe", {
      searchPlaces: [...configSearchPlaces],
      searchStrategy: "none",
      cache: false,
      loaders: { ".ts": scriptLoader, ".mjs": scriptLoader, ".js": scriptLoader },
    });
    result = await explorer.search(root);
  } catch (error) {
    const file = (error as { filepath?: string }).filepath;
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `cannot load the git spe config${file ? ` ${path.relative(root, file)}` : ""}:`,
      [condenseMessage(message)],
      { hint: "Fix the file, then run git spe doctor.", cause: error, file },
    );
  }
  const file = result?.filepath;
  const present = await findConfigFiles(root);
  const shadowed = present.filter((f) => f !== file);
  // No config file: the defaults, without loading the schema (and zod) at all.
  if (!result) return { config: defaultConfig(), file, shadowed };
  const { validateConfig } = await import("./validate.ts");
  const validation = validateConfig(result.isEmpty ? {} : result.config);
  if (!validation.ok) {
    throw new ConfigError(
      `invalid configuration in ${file ? path.relative(root, file) : "(defaults)"}:`,
      validation.problems,
      { hint: "Fix these, then run git spe doctor.", file },
    );
  }
  return { config: validation.config, file, shadowed };
}
