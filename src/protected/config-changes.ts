/**
 * How a config file that decides what is validated changed: the package.json scripts the
 * validators run, its runner fields, the test/lint sections of pyproject.toml and setup.cfg,
 * and a one-word reading of a runner config's diff (exclude widened, include changed, addopts
 * narrowed). Pure.
 */

/** Scripts run by `npm test`, `npm run X`, `pnpm X`, `yarn X`, `bun run X` in a command. */
export function scriptsNamedBy(command: string): string[] {
  const names: string[] = [];
  const patterns = [
    /\b(?:npm|pnpm|yarn|bun)\s+(?:-\S+\s+)*(?:run|run-script)\s+([\w:.-]+)/g,
    /\b(?:npm|pnpm|yarn)\s+(?:-\S+\s+)*(test|t|tst|lint|typecheck)\b/g,
    /\b(?:pnpm|yarn)\s+(?:-\S+\s+)*(?!run\b|add\b|install\b|exec\b|dlx\b|why\b)([\w:.-]+)/g,
  ];
  for (const pattern of patterns)
    for (const match of command.matchAll(pattern)) {
      const name = match[1] as string;
      names.push(name === "t" || name === "tst" ? "test" : name);
    }
  return [...new Set(names)];
}

/** The scripts that decide "done": the defaults, those the commands name, pre/post, transitively. */
export function validatorScripts(
  commands: readonly string[],
  scripts: Readonly<Record<string, unknown>>,
): Set<string> {
  const out = new Set<string>();
  const queue = ["test", "lint", "typecheck", ...commands.flatMap(scriptsNamedBy)];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    for (const hook of [`pre${name}`, `post${name}`]) if (hook in scripts) queue.push(hook);
    const body = scripts[name];
    if (typeof body === "string") queue.push(...scriptsNamedBy(body));
  }
  return out;
}

const runnerFields = ["jest", "mocha", "ava", "c8", "nyc", "eslintConfig", "prettier", "spe"];

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const scriptsOf = (pkg: Record<string, unknown> | undefined): Record<string, unknown> =>
  pkg?.scripts && typeof pkg.scripts === "object" ? (pkg.scripts as Record<string, unknown>) : {};

const show = (value: unknown) =>
  value === undefined ? "(none)" : JSON.stringify(value).slice(0, 80);

export interface PackageJsonChange {
  kind: "validator script changed" | "runner config changed";
  detail: string;
}

/** What changed in package.json that the validators depend on. */
export function packageJsonChanges(
  before: string | undefined,
  after: string | undefined,
  commands: readonly string[],
): PackageJsonChange[] {
  const old = parseJson(before);
  const now = parseJson(after);
  if (after !== undefined && now === undefined && old !== undefined)
    return [{ kind: "validator script changed", detail: "package.json no longer parses" }];
  const out: PackageJsonChange[] = [];
  const oldScripts = scriptsOf(old);
  const newScripts = scriptsOf(now);
  const watched = validatorScripts(commands, { ...oldScripts, ...newScripts });
  for (const name of [...watched].sort()) {
    if (oldScripts[name] === newScripts[name]) continue;
    out.push({
      kind: "validator script changed",
      detail: `scripts.${name}: ${show(oldScripts[name])} → ${show(newScripts[name])}`,
    });
  }
  for (const field of runnerFields) {
    if (JSON.stringify(old?.[field]) === JSON.stringify(now?.[field])) continue;
    out.push({ kind: "runner config changed", detail: `"${field}" changed` });
  }
  return out;
}

/** Sections of pyproject.toml / setup.cfg / tox.ini that configure tests and checks. */
const checkSection =
  /^\[+\s*["']?(?:tool[.:])?(?:pytest|ruff|mypy|coverage|pyright|tox|testenv|flake8|pylint|black|isort|hatch\.envs)\b/;

/** The text of the sections that configure tests and checks (all of it for other files). */
export function relevantText(path: string, text: string | undefined): string {
  if (text === undefined) return "";
  if (!/(?:^|\/)(?:pyproject\.toml|setup\.cfg)$/.test(path)) return text;
  const kept: string[] = [];
  let keep = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*\[/.test(line)) keep = checkSection.test(line.trim());
    if (keep) kept.push(line);
  }
  return kept.join("\n");
}

function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const lines = (text: string) =>
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "");
  const old = new Set(lines(before));
  const now = new Set(lines(after));
  return {
    added: [...now].filter((l) => !old.has(l)),
    removed: [...old].filter((l) => !now.has(l)),
  };
}

/** A reading of a runner config's change, e.g. `exclude widened (+ exclude: ["x/**"])`. */
export function describeRunnerChange(before: string, after: string): string {
  const { added, removed } = changedLines(before, after);
  const narrowing =
    /(?:^|\s|["'])(?:-k|-m|--deselect|--ignore(?:-glob)?|--lf|--last-failed|-x|--exitfirst|--co)\b/;
  const readings: { reading: string; lines: string[]; test: (line: string) => boolean }[] = [
    {
      reading: "addopts narrow which tests run",
      lines: added,
      test: (l) => /addopts/.test(l) && narrowing.test(l),
    },
    {
      reading: "exclude widened",
      lines: added,
      test: (l) => /exclude|ignore|deselect|testPathIgnore|skip|norecurse/i.test(l),
    },
    {
      reading: "include changed",
      lines: [...added, ...removed],
      test: (l) =>
        /include|testpaths|testMatch|testRegex|roots|files|projects|python_(?:files|functions|classes)|dir/i.test(
          l,
        ),
    },
    {
      reading: "checks relaxed",
      lines: added,
      test: (l) =>
        /strict|noImplicit|"off"|'off'|\bwarn\b|extend-ignore|per-file-ignores|disable/i.test(l),
    },
  ];
  for (const { reading, lines, test } of readings) {
    const line = lines.find(test);
    if (line !== undefined)
      return `${reading} (${added.includes(line) ? "+" : "-"} ${line.slice(0, 100)})`;
  }
  const first =
    added[0] !== undefined ? `+ ${added[0]}` : removed[0] !== undefined ? `- ${removed[0]}` : "";
  return first === "" ? "changed" : `changed (${first.slice(0, 100)})`;
}
