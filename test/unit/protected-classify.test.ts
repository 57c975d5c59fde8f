/** Classifying a step's changes to what decides "done". */
import { describe, expect, it } from "vitest";
import { classifyChanges, describeChange, type ChangedFile } from "../../src/protected/classify.ts";
import { scriptsNamedBy, validatorScripts } from "../../src/protected/config-changes.ts";
import { isTestPath, roleOf } from "../../src/protected/roles.ts";

const rules = { commands: ["npm test", "make check"], protect: ["golden/**"] };
const modify = (path: string, before: string, after: string): ChangedFile => ({
  status: "M",
  path,
  before,
  after,
  atBase: true,
});

describe("roleOf", () => {
  it("knows tests, runner configs, CI, git spe's config, validator scripts and protected paths", () => {
    const roles = Object.fromEntries(
      [
        "src/a.test.ts",
        "test/helpers/setup.ts",
        "tests/test_calc.py",
        "pkg/calc_test.go",
        "src/main/java/AppTest.java",
        "vitest.config.ts",
        "packages/web/jest.config.cjs",
        "pyproject.toml",
        "conftest.py",
        "tsconfig.build.json",
        "eslint.config.js",
        ".github/workflows/ci.yml",
        ".spe.config.ts",
        "package.json",
        "Makefile",
        "golden/out.txt",
        "src/app.ts",
        "docs/testing.md",
      ].map((path) => [path, roleOf(path, rules) ?? null]),
    );
    expect(roles).toEqual({
      "src/a.test.ts": "test",
      "test/helpers/setup.ts": "test",
      "tests/test_calc.py": "test",
      "pkg/calc_test.go": "test",
      "src/main/java/AppTest.java": "test",
      "vitest.config.ts": "runner-config",
      "packages/web/jest.config.cjs": "runner-config",
      "pyproject.toml": "runner-config",
      "conftest.py": "runner-config",
      "tsconfig.build.json": "runner-config",
      "eslint.config.js": "runner-config",
      ".github/workflows/ci.yml": "ci-config",
      ".spe.config.ts": "spe-config",
      "package.json": "package-json",
      Makefile: "validator-script",
      "golden/out.txt": "protected",
      "src/app.ts": null,
      "docs/testing.md": null,
    });
    expect(roleOf("Makefile", { commands: ["npm test"], protect: [] })).toBeUndefined();
    expect(isTestPath("src/contest.ts")).toBe(false);
  });
});

describe("classifyChanges", () => {
  it("a test file of the base deleted or renamed; a new test file is not a change", () => {
    const changes = classifyChanges(
      [
        { status: "D", path: "test/a.test.ts", before: "it('a', () => {})", atBase: true },
        {
          status: "R",
          path: "test/old/b.test.ts",
          oldPath: "test/b.test.ts",
          before: "it('b', () => {})",
          after: "it('b', () => {})",
          atBase: true,
        },
        { status: "A", path: "test/c.test.ts", after: "it('c', () => {})", atBase: false },
        { status: "D", path: "test/made-by-s1.test.ts", before: "it()", atBase: false },
      ],
      rules,
    );
    expect(changes.map(describeChange)).toEqual([
      "test/a.test.ts: test deleted",
      "test/b.test.ts: test renamed (to test/old/b.test.ts)",
    ]);
  });

  it("skip, only, todo and xfail markers added; test cases removed; a body edit is fine", () => {
    const js = "describe('m', () => {\n  it('a', () => {});\n  it('b', () => {});\n});\n";
    const py = "def test_a():\n    assert f()\n\ndef test_b():\n    assert g()\n";
    const changes = classifyChanges(
      [
        modify("test/a.test.ts", js, js.replace("it('a'", "it.skip('a'")),
        modify("test/b.test.ts", js, js.replace("describe(", "describe.only(")),
        modify("tests/test_c.py", py, `import pytest\n@pytest.mark.xfail\n${py}`),
        modify("tests/test_d.py", py, py.replace(/def test_b[^]*$/, "")),
        modify(
          "test/e.test.ts",
          js,
          js.replace("() => {});\n  it('b'", "() => { expect(1).toBe(1); });\n  it('b'"),
        ),
        modify("test/f.test.ts", js, `${js}test("c", { skip: true }, () => {});\n`),
      ],
      rules,
    );
    expect(changes.map(describeChange)).toEqual([
      "test/a.test.ts: test skipped (.skip added)",
      "test/b.test.ts: test skipped (.only added)",
      "tests/test_c.py: test skipped (xfail added)",
      "tests/test_d.py: test cases removed (2 → 1 test cases)",
      "test/f.test.ts: test skipped (skip: option added)",
    ]);
  });

  it("package.json: the scripts validators run, and the runner fields; other fields are fine", () => {
    const pkg = (scripts: Record<string, string>, extra: object = {}) =>
      JSON.stringify({ name: "p", scripts, ...extra }, null, 2);
    const base = { test: "npm run unit", unit: "vitest run", lint: "eslint .", start: "node ." };
    const changes = classifyChanges(
      [
        modify("package.json", pkg(base), pkg({ ...base, unit: "exit 0", start: "node app" })),
        modify(
          "packages/x/package.json",
          pkg(base),
          pkg(base, { jest: { testPathIgnorePatterns: ["a"] } }),
        ),
        modify("packages/y/package.json", pkg(base), pkg(base, { version: "2.0.0" })),
      ],
      rules,
    );
    expect(changes.map(describeChange)).toEqual([
      'package.json: validator script changed (scripts.unit: "vitest run" → "exit 0")',
      'packages/x/package.json: runner config changed ("jest" changed)',
    ]);
  });

  it("runner configs: exclude widened, addopts narrowed, only test sections of pyproject.toml", () => {
    const vitest = 'export default { test: { include: ["test/**/*.test.ts"] } };\n';
    const pyproject =
      '[project]\nname = "calc"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n';
    const changes = classifyChanges(
      [
        modify(
          "vitest.config.ts",
          vitest,
          vitest.replace("] }", '],\n    exclude: ["test/slow.test.ts"] }'),
        ),
        modify("pyproject.toml", pyproject, pyproject.replace('"-q"', '"-q -k not slow"')),
        modify("sub/pyproject.toml", pyproject, pyproject.replace("0.1.0", "0.2.0")),
        { status: "A", path: "pytest.ini", after: "[pytest]\naddopts = -k fast\n", atBase: false },
      ],
      rules,
    );
    expect(changes.map(describeChange)).toEqual([
      'vitest.config.ts: runner config changed (exclude widened (+ exclude: ["test/slow.test.ts"] } };))',
      'pyproject.toml: runner config changed (addopts narrow which tests run (+ addopts = "-q -k not slow"))',
      "pytest.ini: runner config changed (added)",
    ]);
  });

  it("git spe's config, CI config, a Makefile validators use and protected paths: any change", () => {
    const changes = classifyChanges(
      [
        modify(".spe.config.ts", "validate: ['npm test']", "validate: []"),
        modify(".github/workflows/ci.yml", "run: npm test", "run: true"),
        modify("Makefile", "check:\n\tpytest\n", "check:\n\ttrue\n"),
        { status: "D", path: "golden/out.txt", before: "x", atBase: true },
      ],
      rules,
    );
    expect(changes.map((c) => `${c.path} ${c.kind}`)).toEqual([
      ".spe.config.ts spe config changed",
      ".github/workflows/ci.yml ci config changed",
      "Makefile validator script changed",
      "golden/out.txt protected file changed",
    ]);
  });
});

describe("validatorScripts", () => {
  it("the default scripts, those the commands name, their pre/post hooks, transitively", () => {
    expect(scriptsNamedBy("npm test && npm run lint:ts && pnpm typecheck && yarn run e2e")).toEqual(
      ["lint:ts", "e2e", "test", "typecheck"],
    );
    const scripts = {
      test: "npm run build && vitest",
      pretest: "node gen.js",
      build: "tsc",
      check: "run-s x",
      "lint:ts": "eslint",
    };
    expect([...validatorScripts(["npm run lint:ts"], scripts)].sort()).toEqual([
      "build",
      "lint",
      "lint:ts",
      "pretest",
      "test",
      "typecheck",
    ]);
  });
});
