/**
 * What part a file plays in deciding "done": git spe's own config, a script a validator runs,
 * a test runner's / type checker's / linter's config, CI config, a test, or a path the user or
 * a plugin protected. Decided from the path alone (and the validate commands, for Makefile and
 * package.json scripts). Pure.
 */
import ignore from "ignore";
import { configSearchPlaces } from "../config/load.ts";

export type ProtectedRole =
  | "spe-config"
  | "package-json"
  | "validator-script"
  | "runner-config"
  | "ci-config"
  | "test"
  | "protected";

export interface ProtectionRules {
  /** The commands that validate the run (config, plan and steps): which scripts they name. */
  commands: readonly string[];
  /** gitignore-style patterns from `exec.protect` and the plugins' `protect`. */
  protect: readonly string[];
}

const codeExtension =
  /\.(?:[cm]?[jt]sx?|py|go|rs|rb|java|kt|kts|scala|cs|fs|php|c|cc|cpp|cxx|h|hpp|swift|ex|exs|clj|dart|lua|sh|bats)$/;

/** Test files by name, in the conventions of the common runners. */
const testFileName = [
  /\.(?:test|spec)\.[cm]?[jt]sx?$/, // vitest, jest, mocha, node --test
  /(?:^|\/)test_[^/]*\.py$/, // pytest, unittest
  /_test\.(?:py|go|rb|exs)$/,
  /_spec\.rb$/,
  /(?:Test|Tests|Spec|IT)\.(?:java|kt|scala|cs)$/,
  /\.bats$/,
];

const testDirectory = /(?:^|\/)(?:tests?|__tests__|specs?|testing|e2e|integration)\//;

export function isTestPath(path: string): boolean {
  if (testFileName.some((pattern) => pattern.test(path))) return true;
  return testDirectory.test(path) && codeExtension.test(path);
}

/** Runner, type checker and linter configs, by file name (any directory). */
const runnerConfigNames = [
  /^(?:vitest|vite|jest|ava|karma|playwright|cypress|wdio|nyc)\.(?:config|workspace|setup)(?:\.[\w-]+)*\.[cm]?[jt]s(?:on)?$/,
  /^vitest\.workspace\.[\w.]+$/,
  /^jest\.(?:setup|preset)\.[\w.]+$/,
  /^\.mocharc(?:\.[\w]+)?$/,
  /^\.(?:c8|nyc)rc(?:\.[\w]+)?$/,
  /^(?:pytest|tox|mypy|\.mypy)\.ini$/,
  /^conftest\.py$/,
  /^noxfile\.py$/,
  /^(?:setup\.cfg|pyproject\.toml)$/,
  /^\.?ruff\.toml$/,
  /^\.flake8$/,
  /^\.coveragerc$/,
  /^[tj]sconfig(?:\.[\w-]+)*\.json$/,
  /^eslint\.config\.[cm]?[jt]s$/,
  /^\.eslintrc(?:\.[\w]+)?$/,
  /^\.(?:eslint|prettier|stylelint)ignore$/,
  /^\.prettierrc(?:\.[\w]+)?$/,
  /^prettier\.config\.[cm]?[jt]s$/,
  /^biome\.jsonc?$/,
  /^\.golangci\.(?:ya?ml|toml|json)$/,
  /^phpunit\.xml(?:\.dist)?$/,
  /^\.rspec$/,
  /^(?:clippy|\.clippy|rustfmt|\.rustfmt)\.toml$/,
  // Package managers' project config: `script-shell=/bin/true` in .npmrc makes `npm test` pass.
  /^\.npmrc$/,
  /^\.yarnrc(?:\.yml)?$/,
  /^\.pnpmfile\.c?js$/,
  /^bunfig\.toml$/,
  /^(?:pip\.conf|\.pdbrc)$/,
];

const ciConfig = [
  /^\.github\/workflows\//,
  /^\.github\/actions\//,
  /^\.gitlab-ci\.ya?ml$/,
  /^\.gitlab\/ci\//,
  /^\.circleci\//,
  /^\.buildkite\//,
  /^azure-pipelines\.ya?ml$/,
  /^\.travis\.ya?ml$/,
  /^bitbucket-pipelines\.ya?ml$/,
  /^Jenkinsfile$/,
  /^\.woodpecker(?:\.ya?ml|\/)/,
];

const speConfigNames: readonly string[] = configSearchPlaces.filter((p) => p !== "package.json");

const makefileNames = /^(?:GNUmakefile|[Mm]akefile|[Jj]ustfile|\.justfile|Taskfile\.ya?ml)$/;
const makeCommand = /(?:^|[\s;&|(])(?:make|gmake|just|task)(?:\s|$)/;

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** The role of a path, or undefined when it plays no part in validation. */
export function roleOf(path: string, rules: ProtectionRules): ProtectedRole | undefined {
  if (speConfigNames.includes(path)) return "spe-config";
  if (
    rules.protect.length > 0 &&
    ignore()
      .add([...rules.protect])
      .ignores(path)
  )
    return "protected";
  const name = basename(path);
  if (name === "package.json") return "package-json";
  if (
    makefileNames.test(name) &&
    !path.includes("/") &&
    rules.commands.some((c) => makeCommand.test(c))
  )
    return "validator-script";
  if (ciConfig.some((pattern) => pattern.test(path))) return "ci-config";
  if (runnerConfigNames.some((pattern) => pattern.test(name))) return "runner-config";
  if (isTestPath(path)) return "test";
  return undefined;
}
