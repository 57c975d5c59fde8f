/**
 * File names with a newline, a tab, quotes, a leading dash, and one that is not UTF-8 at all
 * (Latin-1 "café"), through context, a run whose model edits them, drift and the merge: every
 * name stays one path (one line when shown), nothing is mistaken for an option, and the files
 * the run does not touch come back byte for byte.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { drift, exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { pack, paths } from "../helpers/context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { anthropicEnv, bash, edit, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

const newline = "new\nline.txt";
const tab = "tab\there.txt";
const quotes = `q"uote's.txt`;
const dash = "-dash.txt";
/** "café.txt" in Latin-1: git stores the bytes; they are not valid UTF-8. */
const latin1Name = Buffer.concat([Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from(".txt")]);

async function oddRepository(repo: TestRepo): Promise<void> {
  await repo.commit("project with odd names", {
    ...projectFiles({ validate: ["true"] }),
    [newline]: "nl\n",
    [tab]: "tab\n",
    [quotes]: "q\n",
    [dash]: "d\n",
  });
  await fs.writeFile(Buffer.concat([Buffer.from(`${repo.dir}/`), latin1Name]), "latin-1 name\n");
  await repo.git(["add", "-A"]);
  await repo.git(["commit", "-q", "-m", "a Latin-1 file name"]);
}

async function latin1Content(repo: TestRepo): Promise<string> {
  return fs.readFile(Buffer.concat([Buffer.from(`${repo.dir}/`), latin1Name]), "utf8");
}

describe("odd file names", () => {
  it("context packs them and lists a name that is not UTF-8 as unreadable, not deleted", async () => {
    await withGitRepo(async (repo) => {
      await oddRepository(repo);
      const result = await pack(repo);
      expect(paths(result)).toEqual(expect.arrayContaining([newline, tab, quotes, dash]));
      expect(result.files.find((f) => f.path === newline)?.content).toBe("nl\n");
      expect(result.skipped).toEqual([
        {
          path: "caf\uFFFD.txt",
          reason: "unreadable",
          detail: "the file name is not valid UTF-8",
        },
      ]);
    });
  });

  it("a run edits them, drift shows one line per path, and the merge lands them", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await oddRepository(repo);
        const id = await seedSpec(repo, {
          title: "Edit the odd files",
          summary: "Two planned, two more touched.",
          steps: [
            {
              id: "S1",
              title: "Edit them",
              description: "Append 'edited' to each.",
              files: [
                { path: quotes, action: "modify" },
                { path: dash, action: "modify" },
              ],
            },
          ],
        });
        // The user's own state, which the run must leave alone.
        await repo.write("untracked\nnote.txt", "mine\n");
        await repo.write("README.md", "# stashed edit\n");
        await repo.git(["stash", "push", "-q", "--", "README.md"]);
        const stashes = await repo.git(["stash", "list", "--format=%H"]);

        server.reply(
          "anthropic",
          edit({ command: "str_replace", path: newline, old_str: "nl\n", new_str: "nl edited\n" }),
          edit({ command: "str_replace", path: quotes, old_str: "q\n", new_str: "q edited\n" }),
          bash(
            `printf 'd edited\\n' > ./-dash.txt && printf 'tab edited\\n' > "$(printf 'tab\\there.txt')"`,
          ),
          mockReply.text("Edited."),
        );
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.status).toBe("merged");

        // The merged commit changed exactly those four paths.
        const changed = (await repo.git(["diff-tree", "-r", "-z", "--name-only", "HEAD~1", "HEAD"]))
          .split("\0")
          .filter(Boolean)
          .sort();
        expect(changed).toEqual([dash, newline, quotes, tab].sort());
        expect(await repo.read(newline)).toBe("nl edited\n");
        expect(await repo.read(tab)).toBe("tab edited\n");
        expect(await repo.read(quotes)).toBe("q edited\n");
        expect(await repo.read(dash)).toBe("d edited\n");
        expect(await latin1Content(repo)).toBe("latin-1 name\n");
        expect(await repo.read("untracked\nnote.txt")).toBe("mine\n");
        expect(await repo.git(["stash", "list", "--format=%H"])).toBe(stashes);
        expect(await repo.git(["status", "--porcelain", "--untracked-files=no"])).toBe("");

        expect(result.drift?.steps[0]?.unplannedTouched.sort()).toEqual([newline, tab].sort());
        const { lines } = await drift(testCommandContext(repo.dir), id);
        expect(lines).toEqual([
          "drift:",
          "  S1: touched, not planned: new\\nline.txt",
          "  S1: touched, not planned: tab\\there.txt",
          "validation changes: none",
        ]);
      });
    });
  });
});
