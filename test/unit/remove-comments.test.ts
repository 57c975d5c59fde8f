import { describe, expect, it } from "vitest";
import { removeComments, removeEmptyLines } from "../../src/context/remove-comments.ts";

describe("removeComments", () => {
  it("TypeScript: line and block comments go, strings, templates and regexes stay", () => {
    const source = [
      "// header comment",
      "/**",
      " * JSDoc",
      " */",
      'const url = "http://example.com"; // trailing',
      "const glob = '/* not a comment */';",
      "const re = /\\/\\/+|\\/\\*/g; // regex with slashes",
      "const t = `a ${b /* inner */} // still template ${`nested // ${c}`}`;",
      "const half = a / b / c;",
      "let x/*gap*/y;",
      "",
      "export {};",
    ].join("\n");
    expect(removeComments(source, "src/a.ts")).toBe(
      [
        'const url = "http://example.com";',
        "const glob = '/* not a comment */';",
        "const re = /\\/\\/+|\\/\\*/g;",
        "const t = `a ${b  } // still template ${`nested // ${c}`}`;",
        "const half = a / b / c;",
        "let x y;",
        "",
        "export {};",
      ].join("\n"),
    );
  });

  it("Python: # comments go, # inside strings and docstrings stay, shebang stays", () => {
    const source = [
      "#!/usr/bin/env python3",
      '"""Module doc # not a comment."""',
      "x = '#'  # note",
      "# whole line",
      's = f"{x}#{y}"',
    ].join("\n");
    expect(removeComments(source, "tool.py")).toBe(
      [
        "#!/usr/bin/env python3",
        '"""Module doc # not a comment."""',
        "x = '#'",
        's = f"{x}#{y}"',
      ].join("\n"),
    );
  });

  it("Go: raw strings keep their slashes", () => {
    const source =
      'package main\n\n// Doc\nvar s = `// raw\n/* raw */`\nvar t = "//" /* gone */ + "x"\n';
    expect(removeComments(source, "main.go")).toBe(
      'package main\n\nvar s = `// raw\n/* raw */`\nvar t = "//"   + "x"\n',
    );
  });

  it("Rust: nested block comments, raw strings, chars and lifetimes", () => {
    const source = [
      "/* outer /* inner */ still outer */",
      "fn f<'a>(x: &'a str) -> char { '\"' } // done",
      'let r = r#"// not a "comment" "#;',
      'let s = "/* keep */";',
    ].join("\n");
    expect(removeComments(source, "lib.rs")).toBe(
      [
        "fn f<'a>(x: &'a str) -> char { '\"' }",
        'let r = r#"// not a "comment" "#;',
        'let s = "/* keep */";',
      ].join("\n"),
    );
  });

  it("C: comments go, char and string literals stay", () => {
    const source =
      "#include <stdio.h> // io\nint main(void) { /* body */ char c = '/'; puts(\"/* hi */\"); } // end\n";
    expect(removeComments(source, "main.c")).toBe(
      "#include <stdio.h>\nint main(void) {   char c = '/'; puts(\"/* hi */\"); }\n",
    );
  });

  it("shell: # starts a comment only at a word start; heredocs and $# stay", () => {
    const source = [
      "#!/bin/sh",
      "# setup",
      'echo "# not a comment" $# ${#arr} # count',
      "cat <<EOF",
      "# heredoc text stays",
      "EOF",
      "url=http://x/#anchor",
    ].join("\n");
    expect(removeComments(source, "run.sh")).toBe(
      [
        "#!/bin/sh",
        'echo "# not a comment" $# ${#arr}',
        "cat <<EOF",
        "# heredoc text stays",
        "EOF",
        "url=http://x/#anchor",
      ].join("\n"),
    );
  });

  it("leaves files of unknown languages untouched", () => {
    expect(removeComments("# title\n// text", "NOTES.md")).toBe("# title\n// text");
  });

  it("removeEmptyLines drops blank and whitespace-only lines", () => {
    expect(removeEmptyLines("a\n\n  \nb\n")).toBe("a\nb");
  });
});
