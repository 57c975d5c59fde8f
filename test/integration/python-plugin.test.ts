/**
 * python(): a venv in the worktree on worktree:ready and pytest/ruff/flake8 validators where
 * configured, through the plugin test harness, without PyPI: the project needs no packages
 * (so no pip is set up) and a stand-in `pytest` package in the project runs its tests with
 * unittest. The venv ignores itself, so a step's commit never picks it up.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { python } from "git-spe/plugins/python";
import { testPlugin } from "git-spe/testing";
import { withGitRepo } from "../helpers/git-repo.ts";

const pytestStandIn =
  "# Stands in for pytest (no PyPI here): runs tests/ with unittest.\n" +
  "import sys, unittest\n" +
  'print("python:", sys.prefix)\n' +
  'result = unittest.TextTestRunner(stream=sys.stdout).run(unittest.defaultTestLoader.discover("tests"))\n' +
  "sys.exit(0 if result.wasSuccessful() else 1)\n";

const project = {
  "pyproject.toml":
    '[project]\nname = "calc"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n',
  "requirements.txt": "# nothing to install yet\n",
  ".flake8": "[flake8]\nmax-line-length = 100\n",
  "calc.py": "def add(a, b):\n    return a + b\n",
  "tests/test_calc.py":
    "import unittest\nimport calc\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(2, 3), 5)\n",
  "pytest/__init__.py": "",
  "pytest/__main__.py": pytestStandIn,
};

describe("python plugin", () => {
  it("makes an ignored venv without installing anything, and validates with pytest inside it", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("calc", project);
      const t = testPlugin(python(), { cwd: repo.dir });
      await t.runHook("worktree:ready", {
        purpose: "exec",
        worktree: repo.dir,
        root: repo.dir,
        deps: "link",
      });
      expect(t.messages("info")).toEqual(["creating a virtual environment in the worktree: .venv"]);
      expect((await fs.stat(repo.path(".venv", "bin", "python"))).isFile()).toBe(true);
      expect(await repo.read(".venv/.gitignore")).toBe("*\n");
      expect(await repo.git(["status", "--porcelain", "--untracked-files=all"])).toBe("");

      const passing = await t.validate("pytest");
      expect(passing.ok, passing.output).toBe(true);
      expect(passing.output).toContain(`python: ${repo.path(".venv")}`);
      expect(passing.output).toMatch(/Ran 1 test[^]*OK/);

      await repo.write("calc.py", "def add(a, b):\n    return a - b\n");
      const failing = await t.validate("pytest");
      expect(failing.ok).toBe(false);
      expect(failing.output).toContain("AssertionError: -1 != 5");

      expect(await t.validate("ruff")).toMatchObject({
        ok: true,
        skipped: "ruff is not configured",
      });
      // flake8 is configured but not installed in the venv: the validator says so.
      const flake8 = await t.validate("flake8");
      expect(flake8.ok).toBe(false);
      expect(flake8.output).toContain("No module named flake8");
    });
  });

  it("skips the venv with deps: none and outside Python projects, and a tool validate already runs", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("calc", project);
      const t = testPlugin(python(), {
        cwd: repo.dir,
        config: { validate: ["python3 -m pytest"] },
      });
      await t.runHook("worktree:ready", {
        purpose: "validate",
        worktree: repo.dir,
        root: repo.dir,
        deps: "none",
      });
      expect(await repo.exists(".venv")).toBe(false);
      expect((await t.validate("pytest")).skipped).toBe(
        '"python3 -m pytest" is in validate already',
      );

      const other = repo.path("not-python");
      await fs.mkdir(other);
      await fs.writeFile(path.join(other, "index.js"), "");
      const js = testPlugin(python(), { cwd: other, root: repo.dir });
      await js.runHook("worktree:ready", {
        purpose: "exec",
        worktree: other,
        root: repo.dir,
        deps: "install",
      });
      expect(await fs.readdir(other)).toEqual(["index.js"]);
      expect((await js.validate("pytest")).skipped).toBe("pytest is not configured");
    });
  });

  it("installs the requirements and the package with the venv's pip", async () => {
    await withGitRepo(async (repo) => {
      // A stand-in interpreter that logs its calls: `-m venv DIR` makes DIR/bin/python (itself).
      const log = repo.path("calls.log");
      const fake = repo.path("fake-python");
      await fs.writeFile(
        fake,
        `#!/bin/sh\necho "$0 $*" >> ${JSON.stringify(log)}\nif [ "$2" = venv ]; then for d; do :; done; mkdir -p "$d/bin"; cp "$0" "$d/bin/python"; fi\n`,
        { mode: 0o755 },
      );
      await repo.commit("calc", {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n',
        "requirements.txt": "requests==2.32.0\n",
        "requirements-dev.txt": "pytest\n",
      });
      const t = testPlugin(python({ python: fake }), { cwd: repo.dir });
      await t.runHook("worktree:ready", {
        purpose: "exec",
        worktree: repo.dir,
        root: repo.dir,
        deps: "install",
      });
      const venvPython = repo.path(".venv", "bin", "python");
      const pip = `${venvPython} -m pip install --disable-pip-version-check`;
      expect((await fs.readFile(log, "utf8")).trim().split("\n")).toEqual([
        `${fake} -m venv ${repo.path(".venv")}`,
        `${pip} -r requirements-dev.txt`,
        `${pip} -r requirements.txt`,
        `${pip} -e .`,
      ]);
      expect(t.messages("info")).toEqual([
        "creating a virtual environment in the worktree: .venv",
        "installing: pip install -r requirements-dev.txt",
        "installing: pip install -r requirements.txt",
        "installing: pip install -e .",
      ]);
    });
  });
});
