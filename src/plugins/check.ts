/**
 * The shape of configured plugins, checked with the rest of the config so every problem is one
 * `plugins[i]…: message` line, reported together with exit 2. Pure: no fs, no env.
 */
import { builtinProviderNames } from "../config/providers.ts";
import { lifecycleHookOrder } from "./events.ts";

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

const parts = [
  "name",
  "contextProviders",
  "validators",
  "providers",
  "hooks",
  "protect",
  "testCounts",
] as const;
/** A selector name must survive `--select NAME=ARG`; a validator name is shown as plugin:name. */
const namePattern = /^[A-Za-z0-9][\w.-]*$/;

function checkFunctions(
  at: string,
  value: unknown,
  what: string,
  problems: string[],
  checkKey: (key: string) => string | undefined = () => undefined,
): string[] {
  if (value === undefined) return [];
  if (!isRecord(value)) {
    problems.push(`${at}: must be an object of ${what} functions`);
    return [];
  }
  for (const [key, fn] of Object.entries(value)) {
    const keyProblem = checkKey(key);
    if (keyProblem) problems.push(`${at}.${key}: ${keyProblem}`);
    else if (typeof fn !== "function") problems.push(`${at}.${key}: must be a function`);
  }
  return Object.keys(value);
}

/** Records `name` as the owner of each key; a key another plugin owns is a problem instead. */
function claim(
  owners: Map<string, string>,
  keys: readonly string[],
  name: string,
  problems: string[],
  taken: (key: string, owner: string) => string,
): void {
  for (const key of keys) {
    const owner = owners.get(key);
    if (owner !== undefined && owner !== name) problems.push(taken(key, owner));
    else owners.set(key, name);
  }
}

/** Problems with `plugins` of a raw config; non-objects are left to the schema. */
export function pluginProblems(plugins: unknown): string[] {
  if (!Array.isArray(plugins)) return [];
  const problems: string[] = [];
  const names = new Map<string, number>();
  const selectors = new Map<string, string>();
  const kinds = new Map<string, string>();
  plugins.forEach((plugin: unknown, i) => {
    const at = `plugins[${i}]`;
    if (!isRecord(plugin) || typeof plugin.name !== "string" || plugin.name === "") return;
    const name = plugin.name;
    const first = names.get(name);
    if (first !== undefined)
      problems.push(`${at}.name: "${name}" is already the name of plugins[${first}]`);
    else names.set(name, i);
    for (const key of Object.keys(plugin)) {
      if (!(parts as readonly string[]).includes(key))
        problems.push(`${at}.${key}: unknown plugin part (known: ${parts.slice(1).join(", ")})`);
    }
    const ownSelectors = checkFunctions(
      `${at}.contextProviders`,
      plugin.contextProviders,
      "selector",
      problems,
      (key) => (namePattern.test(key) ? undefined : "a selector name is letters, digits, . _ -"),
    );
    claim(
      selectors,
      ownSelectors,
      name,
      problems,
      (selector, owner) =>
        `${at}.contextProviders.${selector}: selector "${selector}" is already provided by plugin "${owner}"`,
    );
    checkFunctions(`${at}.validators`, plugin.validators, "validator", problems, (key) =>
      namePattern.test(key) ? undefined : "a validator name is letters, digits, . _ -",
    );
    const ownKinds = checkFunctions(
      `${at}.providers`,
      plugin.providers,
      "provider factory",
      problems,
      (key) =>
        (builtinProviderNames as readonly string[]).includes(key)
          ? `"${key}" is a built-in provider`
          : /^[a-z][a-z0-9-]*$/.test(key)
            ? undefined
            : "a provider kind is lowercase letters, digits and -",
    );
    claim(
      kinds,
      ownKinds,
      name,
      problems,
      (kind, owner) =>
        `${at}.providers.${kind}: provider "${kind}" is already registered by plugin "${owner}"`,
    );
    if (
      plugin.protect !== undefined &&
      !(
        Array.isArray(plugin.protect) &&
        plugin.protect.every((p) => typeof p === "string" && p !== "")
      )
    )
      problems.push(`${at}.protect: must be an array of path patterns (strings)`);
    if (plugin.testCounts !== undefined && typeof plugin.testCounts !== "function")
      problems.push(`${at}.testCounts: must be a function (output, command) => counts | undefined`);
    checkFunctions(`${at}.hooks`, plugin.hooks, "hook", problems, (key) =>
      (lifecycleHookOrder as readonly string[]).includes(key)
        ? undefined
        : `unknown hook (known: ${lifecycleHookOrder.join(", ")})`,
    );
  });
  return problems;
}
