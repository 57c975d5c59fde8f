/**
 * The editor tool on real files, called directly: views with ranges and the size cap,
 * directory listings, binary and empty files, creating (parents included) and overwriting,
 * and symlinks that stay inside the worktree.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { createPathConfinement } from "../../src/agent/confine-path.ts";
import { type EditorContext, runEditorTool } from "../../src/agent/editor-tool.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";

async function editorIn(dir: string, maxViewBytes = 30_000): Promise<EditorContext> {
  return { confinement: await createPathConfinement(dir), maxViewBytes };
}

it("views ranges and cuts a large view at whole lines with a note", async () => {
  await withTempDir(async (dir) => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i + 1}`);
    await fs.writeFile(path.join(dir, "big.txt"), `${lines.join("\n")}\n`);
    const editor = await editorIn(dir, 100);
    const view = (input: object) =>
      runEditorTool({ command: "view", path: "big.txt", ...input }, editor);

    const whole = await view({});
    expect(whole.text).toBe(
      [
        ...["1: line 1", "2: line 2", "3: line 3", "4: line 4", "5: line 5", "6: line 6"],
        ...["7: line 7", "8: line 8", "9: line 9"],
        "[View truncated at the 100-byte limit: showing lines 1–9 of 500. See the rest with view_range, e.g. [10, 209].]",
      ].join("\n"),
    );
    expect((await view({ view_range: [3, 4] })).text).toBe("3: line 3\n4: line 4");
    expect((await view({ view_range: [499, -1] })).text).toBe("499: line 499\n500: line 500");
    expect((await view({ view_range: [500, 900] })).text).toBe("500: line 500");

    await fs.writeFile(path.join(dir, "min.js"), `${"x".repeat(5000)}\nnext\n`);
    const minified = await runEditorTool({ command: "view", path: "min.js" }, editor);
    expect(minified.text).toBe(
      `1: ${"x".repeat(97)}… [line cut: it has 5003 characters]\n` +
        "[View truncated at the 100-byte limit: showing lines 1–1 of 2. See the rest with view_range, e.g. [2, 2].]",
    );
  });
});

it("lists a directory two levels deep without .git, not expanding node_modules", async () => {
  await withGitRepo(async (repo) => {
    await repo.write("src/a/b/deep.ts", "");
    await repo.write("src/index.ts", "");
    await repo.write("node_modules/pkg/index.js", "");
    await repo.write(".env.example", "");
    const { text } = await runEditorTool({ command: "view", path: "." }, await editorIn(repo.dir));
    expect(text).toBe(
      [
        "Files and directories up to 2 levels deep in ., excluding .git (directories end in /, symlinks in @):",
        ".env.example",
        "README.md",
        "node_modules/ (not expanded)",
        "src/",
        "src/a/",
        "src/index.ts",
      ].join("\n"),
    );
    const sub = await runEditorTool({ command: "view", path: "src/" }, await editorIn(repo.dir));
    expect(sub.text.split("\n").slice(1)).toEqual(["src/a/", "src/a/b/", "src/index.ts"]);
  });
});

it("refuses binary files, says when a file is empty, creates parents and notes overwrites", async () => {
  await withTempDir(async (dir) => {
    await fs.writeFile(path.join(dir, "blob.bin"), Buffer.from([1, 0, 2]));
    await fs.writeFile(path.join(dir, "empty.txt"), "");
    const editor = await editorIn(dir);
    await expect(runEditorTool({ command: "view", path: "blob.bin" }, editor)).rejects.toThrow(
      "blob.bin looks binary (3 bytes); not shown",
    );
    expect((await runEditorTool({ command: "view", path: "empty.txt" }, editor)).text).toBe(
      "empty.txt is empty.",
    );
    const created = await runEditorTool(
      { command: "create", path: "a/b/c.txt", file_text: "one\n" },
      editor,
    );
    expect(created).toEqual({
      text: "File created successfully at: a/b/c.txt",
      summary: "create a/b/c.txt",
    });
    const again = await runEditorTool(
      { command: "create", path: `${dir}/a/b/c.txt`, file_text: "two\n" },
      editor,
    );
    expect(again.text).toBe("File overwritten at: a/b/c.txt (it existed before)");
    expect(await fs.readFile(path.join(dir, "a/b/c.txt"), "utf8")).toBe("two\n");
  });
});

it("edits through a symlink that stays inside the worktree, changing its target", async () => {
  await withTempDir(async (dir) => {
    await fs.mkdir(path.join(dir, "real"));
    await fs.writeFile(path.join(dir, "real", "file.txt"), "old\n");
    await fs.symlink("real", path.join(dir, "alias"));
    await fs.symlink("real/file.txt", path.join(dir, "file-link"));
    const editor = await editorIn(dir);
    const edit = await runEditorTool(
      { command: "str_replace", path: "alias/file.txt", old_str: "old", new_str: "new" },
      editor,
    );
    expect(edit.summary).toBe("str_replace real/file.txt");
    await runEditorTool(
      { command: "insert", path: "file-link", insert_line: 1, new_str: "more" },
      editor,
    );
    expect(await fs.readFile(path.join(dir, "real", "file.txt"), "utf8")).toBe("new\nmore\n");
    expect((await fs.lstat(path.join(dir, "file-link"))).isSymbolicLink()).toBe(true);
  });
});
