import { describe, expect, it } from "vitest";
import { detectPython } from "git-spe/plugins/python";

const detect = (entries: string[], text: Record<string, string> = {}) =>
  detectPython({ entries, text });

describe("python plugin: detection", () => {
  it("is not a Python project without any Python project file", () => {
    expect(detect(["package.json", "tests", "README.md"])).toMatchObject({
      isPython: false,
      pytest: false,
      ruff: false,
      flake8: false,
    });
  });

  it("finds pytest in each place it can be configured", () => {
    expect(detect(["pytest.ini"]).pytest).toBe(true);
    expect(detect(["conftest.py", "setup.py"]).pytest).toBe(true);
    const pyproject = "[project]\nname = 'x'\n\n[tool.pytest.ini_options]\naddopts = '-q'\n";
    expect(detect(["pyproject.toml"], { "pyproject.toml": pyproject }).pytest).toBe(true);
    expect(
      detect(["setup.cfg"], { "setup.cfg": "[tool:pytest]\ntestpaths = tests\n" }).pytest,
    ).toBe(true);
    expect(detect(["tox.ini"], { "tox.ini": "[pytest]\n" }).pytest).toBe(true);
  });

  it("takes a tests/ directory as pytest only when pytest is a requirement", () => {
    const reqs = { "requirements-dev.txt": "# tools\npytest>=8\nruff\n" };
    expect(detect(["tests", "requirements-dev.txt"], reqs).pytest).toBe(true);
    expect(detect(["tests", "requirements.txt"], { "requirements.txt": "requests\n" }).pytest).toBe(
      false,
    );
    expect(detect(["requirements-dev.txt"], reqs).pytest).toBe(false);
  });

  it("finds ruff and flake8 configurations", () => {
    expect(detect(["ruff.toml"]).ruff).toBe(true);
    expect(detect([".ruff.toml"]).ruff).toBe(true);
    expect(
      detect(["pyproject.toml"], { "pyproject.toml": "[tool.ruff.lint]\nselect = ['E']\n" }).ruff,
    ).toBe(true);
    expect(detect([".flake8"]).flake8).toBe(true);
    expect(detect(["setup.cfg"], { "setup.cfg": "[flake8]\nmax-line-length = 100\n" }).flake8).toBe(
      true,
    );
    expect(detect(["tox.ini"], { "tox.ini": "[flake8]\n" }).flake8).toBe(true);
    expect(detect(["pyproject.toml"], { "pyproject.toml": "[project]\n" })).toMatchObject({
      ruff: false,
      flake8: false,
    });
  });

  it("installs requirements files that list something, and the package when it has a build system", () => {
    const project = detect(
      ["requirements.txt", "requirements-dev.txt", "requirements-empty.txt", "pyproject.toml"],
      {
        "requirements.txt": "requests==2.32.0\n",
        "requirements-dev.txt": "-r requirements.txt\npytest\n",
        "requirements-empty.txt": "# nothing yet\n\n",
        "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n',
      },
    );
    expect(project).toMatchObject({
      isPython: true,
      requirements: ["requirements-dev.txt", "requirements.txt"],
      editable: true,
    });
    expect(detect(["pyproject.toml"], { "pyproject.toml": "[project]\n" })).toMatchObject({
      requirements: [],
      editable: false,
    });
  });
});
