/**
 * What a Python project uses, from its root entries and config files. Pure.
 *
 * - pytest: pytest.ini or conftest.py, `[tool.pytest.ini_options]` in pyproject.toml,
 *   `[tool:pytest]` in setup.cfg, `[pytest]` in tox.ini, or a tests/ (test/) directory with
 *   pytest among the requirements or in pyproject.toml.
 * - ruff: ruff.toml, .ruff.toml or `[tool.ruff…]` in pyproject.toml.
 * - flake8: .flake8, or `[flake8]` in setup.cfg or tox.ini.
 * - installs: every requirements*.txt at the root that lists something, then `pip install -e .`
 *   when pyproject.toml declares a `[build-system]` (or there is a setup.py).
 */

export interface PythonFiles {
  /** Names of the entries at the project root. */
  entries: readonly string[];
  /** Contents of pyproject.toml, setup.cfg, tox.ini and requirements*.txt, where present. */
  text: Readonly<Record<string, string>>;
}

export interface PythonProject {
  isPython: boolean;
  pytest: boolean;
  ruff: boolean;
  flake8: boolean;
  /** Requirements files with at least one requirement, sorted. */
  requirements: string[];
  /** Install the project itself, editable. */
  editable: boolean;
}

export const isRequirementsFile = (name: string): boolean => /^requirements.*\.txt$/.test(name);

const listsSomething = (text: string) =>
  text.split("\n").some((line) => line.replace(/#.*/, "").trim() !== "");

export function detectPython(files: PythonFiles): PythonProject {
  const has = (name: string) => files.entries.includes(name);
  const text = (name: string) => files.text[name] ?? "";
  const pyproject = text("pyproject.toml");
  const setupCfg = text("setup.cfg");
  const tox = text("tox.ini");
  const requirementFiles = files.entries.filter(isRequirementsFile).sort();
  const requirementsText = requirementFiles.map(text).join("\n");
  const hasTestsDir = has("tests") || has("test");
  const pytest =
    has("pytest.ini") ||
    has("conftest.py") ||
    /^\[tool\.pytest(\.ini_options)?\]/m.test(pyproject) ||
    /^\[tool:pytest\]/m.test(setupCfg) ||
    /^\[pytest\]/m.test(tox) ||
    (hasTestsDir && (/^\s*pytest\b/im.test(requirementsText) || /\bpytest\b/.test(pyproject)));
  return {
    isPython:
      has("pyproject.toml") ||
      has("setup.py") ||
      has("setup.cfg") ||
      has("Pipfile") ||
      has("pytest.ini") ||
      requirementFiles.length > 0,
    pytest,
    ruff: has("ruff.toml") || has(".ruff.toml") || /^\[tool\.ruff(\.[\w.-]+)?\]/m.test(pyproject),
    flake8: has(".flake8") || /^\[flake8\]/m.test(setupCfg) || /^\[flake8\]/m.test(tox),
    requirements: requirementFiles.filter((name) => listsSomething(text(name))),
    editable: /^\[build-system\]/m.test(pyproject) || has("setup.py"),
  };
}
