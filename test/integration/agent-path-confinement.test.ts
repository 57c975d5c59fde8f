/**
 * Every editor path is resolved inside the worktree: `../x`, absolute paths elsewhere,
 * symlinks inside the worktree that point out (read and write through them), dangling
 * symlinks and anything under `.git` are refused with `is_error` results, and nothing outside
 * the worktree is read or changed. The worktree is a linked one under the repository's git dir,
 * where spe puts them, so `..` from it leads straight into `.git`.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "../helpers/agent-harness.ts";
import { makeTempDir, withGitRepo } from "../helpers/git-repo.ts";
import { mockReply } from "../helpers/mock-model-server.ts";

const editor = "str_replace_based_edit_tool";

let agent: AgentHarness;
let outside: string;
beforeEach(async () => {
  agent = await startAgentHarness();
  outside = await makeTempDir("git-spe-outside-");
  await fs.writeFile(path.join(outside, "secret.txt"), "outside\n");
});
afterEach(async () => {
  await agent.server.close();
  await fs.rm(outside, { recursive: true, force: true });
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await fs.readdir(dir, { recursive: true })) {
    const file = path.join(dir, name);
    if ((await fs.lstat(file)).isFile()) out[name] = await fs.readFile(file, "utf8");
  }
  return out;
}

it("refuses paths that leave a linked worktree, directly or through symlinks", async () => {
  await withGitRepo(async (repo) => {
    const worktree = path.join(repo.dir, ".git", "spe", "worktrees", "S1");
    await repo.git(["worktree", "add", "-q", "--detach", worktree]);
    await fs.symlink(outside, path.join(worktree, "link-dir"));
    await fs.symlink(path.join(outside, "secret.txt"), path.join(worktree, "link-file"));
    await fs.symlink(path.join(outside, "made-by-dangling.txt"), path.join(worktree, "dangling"));
    const gitDir = path.join(repo.dir, ".git");
    const before = { outside: await snapshot(outside), git: await snapshot(gitDir) };

    const refused = [
      { command: "view", path: "../x" },
      { command: "create", path: "../escape.txt", file_text: "x" },
      { command: "view", path: "../../config" },
      { command: "view", path: path.join(outside, "secret.txt") },
      { command: "create", path: path.join(outside, "new.txt"), file_text: "x" },
      { command: "view", path: path.join(repo.dir, "README.md") },
      { command: "view", path: "link-dir/secret.txt" },
      { command: "view", path: "link-dir" },
      { command: "create", path: "link-dir/created.txt", file_text: "x" },
      { command: "create", path: "link-dir/deeper/created.txt", file_text: "x" },
      { command: "str_replace", path: "link-file", old_str: "outside", new_str: "pwned" },
      { command: "insert", path: "link-file", insert_line: 0, insert_text: "pwned" },
      { command: "view", path: "link-file" },
      { command: "create", path: "dangling", file_text: "x" },
      { command: "view", path: ".git" },
      { command: "create", path: ".git", file_text: "gitdir: /tmp/elsewhere\n" },
      { command: "view", path: ".git/config" },
      { command: "create", path: ".GIT/hooks/pre-commit", file_text: "#!/bin/sh\n" },
      { command: "create", path: "vendor/lib/.git/config", file_text: "x" },
    ];
    const allowed = [
      { command: "create", path: "inside/ok.txt", file_text: "fine\n" },
      { command: "view", path: worktree },
    ];
    agent.server.reply(
      "anthropic",
      {
        toolCalls: [...refused, ...allowed].map((input, i) => ({
          id: `toolu_${i}`,
          name: editor,
          input,
        })),
      },
      mockReply.text("I stayed inside."),
    );

    const { result, events } = await agent.run(worktree);

    expect(result.outcome).toBe("done");
    const results = agent.toolResults(1);
    expect(results.map((r) => r.tool_use_id)).toEqual(
      [...refused, ...allowed].map((_, i) => `toolu_${i}`),
    );
    for (const [i, input] of refused.entries()) {
      const block = results[i];
      expect(block?.is_error, `${input.command} ${input.path}`).toBe(true);
      expect(block?.content, `${input.command} ${input.path}`).toMatch(
        /^Error: .*(outside the worktree|symlink whose target is missing|inside \.git)/,
      );
    }
    expect(results[0]?.content).toContain("../x: is outside the worktree");
    expect(results[6]?.content).toContain("resolves through a symlink to outside the worktree");
    const [created, listed] = results.slice(refused.length);
    expect(created).toMatchObject({ content: "File created successfully at: inside/ok.txt" });
    expect(created?.is_error).toBeUndefined();
    expect(listed?.is_error).toBeUndefined();
    expect(listed?.content).toContain("\nREADME.md\n");
    expect(listed?.content).toContain("\ninside/ok.txt\n");
    expect(listed?.content).toContain("\nlink-dir@\n");
    expect(listed?.content).not.toMatch(/^\.git/m);

    expect(await fs.readFile(path.join(worktree, "inside/ok.txt"), "utf8")).toBe("fine\n");
    expect(await snapshot(outside)).toEqual(before.outside);
    expect(await snapshot(gitDir)).toEqual({
      ...before.git,
      [path.join("spe", "worktrees", "S1", "inside", "ok.txt")]: "fine\n",
    });
    await expect(fs.lstat(path.join(repo.dir, ".git", "spe", "escape.txt"))).rejects.toThrow();
    expect((await fs.readFile(path.join(worktree, ".git"), "utf8")).startsWith("gitdir: ")).toBe(
      true,
    );
    expect(events.filter((e) => e.type === "tool" && !e.ok)).toHaveLength(refused.length);
  });
});

it("refuses .git in a main worktree, where .git/config is a real file", async () => {
  await withGitRepo(async (repo) => {
    const config = await repo.read(".git/config");
    agent.server.reply(
      "anthropic",
      {
        toolCalls: [
          { id: "toolu_a", name: editor, input: { command: "view", path: ".git/config" } },
          {
            id: "toolu_b",
            name: editor,
            input: {
              command: "str_replace",
              path: ".git/config",
              old_str: "[core]",
              new_str: "[x]",
            },
          },
          {
            id: "toolu_c",
            name: editor,
            input: { command: "create", path: `${repo.dir}/.git/hooks/pre-commit`, file_text: "x" },
          },
          { id: "toolu_d", name: editor, input: { command: "view", path: "src/../.git/HEAD" } },
        ],
      },
      mockReply.text("ok"),
    );
    await agent.run(repo.dir);
    const results = agent.toolResults(1);
    expect(results.map((r) => r.is_error)).toEqual([true, true, true, true]);
    for (const r of results) expect(r.content).toMatch(/^Error: .*is inside \.git/);
    expect(await repo.read(".git/config")).toBe(config);
    expect(await repo.exists(".git/hooks/pre-commit")).toBe(false);
  });
});
