/**
 * Imports resolved against the tracked paths (a step's related files): relative JavaScript and
 * TypeScript specifiers with and without extensions, Python's relative and absolute imports,
 * C's quoted includes and Java's imports; packages from a registry and system headers resolve to
 * nothing, and a file never imports itself.
 */
import { describe, expect, it } from "vitest";
import { importsOf, TrackedPaths } from "../../src/context/imports.ts";

const tracked = new TrackedPaths([
  "src/app.ts",
  "src/math.ts",
  "src/util/index.ts",
  "src/view.tsx",
  "src/legacy.cjs",
  "lib/pkg/__init__.py",
  "lib/pkg/core.py",
  "lib/pkg/helpers.py",
  "lib/pkg/sub/deep.py",
  "lib/other.py",
  "native/list.c",
  "native/list.h",
  "native/include/shared.h",
  "java/src/main/java/com/acme/Greeter.java",
  "java/src/main/java/com/acme/App.java",
]);

describe("importsOf", () => {
  it("resolves relative JavaScript and TypeScript specifiers", () => {
    const text = [
      'import { add } from "./math.js";',
      "import type { Props } from './view';",
      'export * from "./util";',
      'const legacy = require("./legacy.cjs");',
      'const lazy = () => import("./math");',
      'import React from "react";',
      'import { missing } from "./missing";',
    ].join("\n");
    expect(importsOf("src/app.ts", text, "typescript", tracked).sort()).toEqual([
      "src/legacy.cjs",
      "src/math.ts",
      "src/util/index.ts",
      "src/view.tsx",
    ]);
  });

  it("resolves Python's relative and absolute imports", () => {
    const text = [
      "from . import helpers",
      "from .sub.deep import thing",
      "import pkg.core, os",
      "from other import name  # a module beside the package",
      "import json",
    ].join("\n");
    expect(importsOf("lib/pkg/__init__.py", text, "python", tracked).sort()).toEqual([
      "lib/other.py",
      "lib/pkg/core.py",
      "lib/pkg/helpers.py",
      "lib/pkg/sub/deep.py",
    ]);
    expect(importsOf("lib/pkg/sub/deep.py", "from .. import core\n", "python", tracked)).toEqual([
      "lib/pkg/__init__.py",
      "lib/pkg/core.py",
    ]);
  });

  it("resolves quoted includes and Java imports, never system headers or the file itself", () => {
    const c = '#include <stdio.h>\n#include "list.h"\n#include "shared.h"\n#include "list.c"\n';
    expect(importsOf("native/list.c", c, "c", tracked).sort()).toEqual([
      "native/include/shared.h",
      "native/list.h",
    ]);
    const java = "package com.acme;\n\nimport java.util.List;\nimport com.acme.Greeter;\n";
    expect(importsOf("java/src/main/java/com/acme/App.java", java, "java", tracked)).toEqual([
      "java/src/main/java/com/acme/Greeter.java",
    ]);
    expect(importsOf("src/main.go", 'import "fmt"\n', "go", tracked)).toEqual([]);
  });

  it("takes the nearest match, and not a module of another project's name", () => {
    const near = new TrackedPaths([
      "aaa/utils.py",
      "app/utils.py",
      "app/main.py",
      "app/pkg/__init__.py",
      "app/pkg/a.py",
      "app/pkg/b.py",
      "other/typing.py",
      "src/config.h",
      "src/deep/x.c",
      "third_party/zlib/config.h",
    ]);
    const py =
      "import utils\nfrom typing import Any\nfrom app.pkg import a\nfrom .pkg import (\n    b,\n)\n";
    expect(importsOf("app/main.py", py, "python", near).sort()).toEqual([
      "app/pkg/__init__.py",
      "app/pkg/a.py",
      "app/pkg/b.py",
      "app/utils.py",
    ]);
    expect(importsOf("src/deep/x.c", '#include "config.h"\n', "c", near)).toEqual(["src/config.h"]);
  });
});
