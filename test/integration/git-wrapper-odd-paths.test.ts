import { describe, expect, it } from "vitest";
import { GitError } from "../../src/errors.ts";
import { createGit } from "../../src/git/exec.ts";
import {
  listIndexEntries,
  listStagedChanges,
  listTrackedFiles,
  listUnstagedChanges,
  listUntrackedFiles,
  resolveHead,
} from "../../src/git/files.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

const oddPaths = [
  "with space.txt",
  "ünïcödé/файл.md",
  "new\nline.txt",
  "-leading-dash.txt",
  "dir/--double",
];

describe("the git wrapper on paths that break naive parsing", () => {
  it("stages, lists and diffs paths with spaces, non-ASCII, newlines and leading dashes", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      for (const file of oddPaths) await repo.write(file, `content of ${JSON.stringify(file)}\n`);

      expect((await listUntrackedFiles(git)).sort()).toEqual([...oddPaths].sort());
      // Pathspecs go after "--": "-leading-dash.txt" must not be read as an option.
      await git.run(["add"], { paths: oddPaths });
      expect((await listStagedChanges(git)).map((c) => [c.status, c.path]).sort()).toEqual(
        oddPaths.map((p) => ["A", p]).sort(),
      );
      await git.run(["commit", "-q", "-m", "odd paths"]);
      expect((await listTrackedFiles(git)).sort()).toEqual([...oddPaths, "README.md"].sort());

      await repo.write("new\nline.txt", "changed\n");
      expect(await listUnstagedChanges(git)).toEqual([{ status: "M", path: "new\nline.txt" }]);

      await git.run(["mv", "--", "-leading-dash.txt", "renamed with\nnewline.txt"]);
      expect(await listStagedChanges(git)).toEqual([
        {
          status: "R",
          path: "renamed with\nnewline.txt",
          oldPath: "-leading-dash.txt",
          score: 100,
        },
      ]);

      const entries = await listIndexEntries(git, ["ünïcödé"]);
      expect(entries).toEqual([
        expect.objectContaining({
          path: "ünïcödé/файл.md",
          mode: "100644",
          oid: expect.stringMatching(/^[0-9a-f]{40}$/),
        }),
      ]);
    });
  });

  it("limits file sets with a pathspec that looks like an option", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "-rf": "x\n", "keep.txt": "y\n" });
      const git = createGit({ cwd: repo.dir });
      expect(await listTrackedFiles(git, ["-rf"])).toEqual(["-rf"]);
    });
  });

  it("lists staged files before the first commit (against the empty tree)", async () => {
    await withGitRepo(
      async (repo) => {
        const git = createGit({ cwd: repo.dir });
        expect(await resolveHead(git)).toBeUndefined();
        await repo.write("first file.txt", "1\n");
        await git.run(["add"], { paths: ["first file.txt"] });
        expect(await listStagedChanges(git)).toEqual([{ status: "A", path: "first file.txt" }]);
      },
      { initialCommit: false },
    );
  });

  it("throws a GitError with argv, exit code and stderr", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      const error = await git
        .run(["rev-parse", "--verify", "no-such-ref"])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitError);
      expect(error).toMatchObject({
        argv: ["rev-parse", "--verify", "no-such-ref"],
        exitCode: 128,
      });
      expect((error as GitError).stderr).toMatch(/fatal: Needed a single revision/);
    });
  });

  it("treats listed exit codes as answers", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({ cwd: repo.dir });
      const result = await git.run(["config", "--get", "no.such-key"], { okExitCodes: [1] });
      expect(result.exitCode).toBe(1);
    });
  });

  it("runs git with LC_ALL=C whatever the caller's locale", async () => {
    await withGitRepo(async (repo) => {
      const git = createGit({
        cwd: repo.dir,
        env: { ...process.env, LC_ALL: "de_DE.UTF-8", LANG: "de_DE.UTF-8" },
      });
      expect(git.env.LC_ALL).toBe("C");
      const out = await git.text(["var", "GIT_COMMITTER_IDENT"]);
      expect(out).toMatch(/^Spe Test/);
    });
  });

  it("stops a git call when the signal aborts", async () => {
    await withGitRepo(async (repo) => {
      const controller = new AbortController();
      const git = createGit({ cwd: repo.dir, signal: controller.signal });
      // A shell alias that would succeed after 5 s: only the abort makes the call reject.
      const pending = git.run(["-c", "alias.slow=!sleep 5", "slow"]).then(
        () => "completed",
        (e: unknown) => e,
      );
      setTimeout(() => controller.abort(new DOMException("stop", "AbortError")), 100);
      const error = await pending;
      expect(error).toMatchObject({ name: "AbortError", message: "stop" });
    });
  });
});
