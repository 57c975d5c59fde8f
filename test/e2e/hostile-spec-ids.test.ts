/**
 * Spec ids are hostile input: given on the command line (`show/status/plan/exec/drift/abort ID`,
 * `spec --id ID`) or made from a model's title, they become a directory, a branch `spe/<id>` and
 * a lock file. Ids that look like options, hold "..", "@{", control characters, newlines or
 * spaces, end in ".lock" or start with a dot get a one-line error with exit 2, never reach git
 * (GIT_TRACE records every git call) and change nothing in the repository.
 */
import { describe, expect, it } from "vitest";
import fs from "node:fs/promises";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, specAnswer } from "../helpers/phase-fixtures.ts";

async function repoState(repo: TestRepo) {
  return {
    refs: await repo.git(["for-each-ref", "--format=%(refname) %(objectname)"]),
    head: await repo.git(["symbolic-ref", "HEAD"]),
    index: await repo.git(["ls-files", "-s"]),
    status: await repo.git(["status", "--porcelain", "--untracked-files=all"]),
    stash: await repo.git(["stash", "list", "--format=%H %gs"]),
    worktrees: await repo.git(["worktree", "list", "--porcelain"]),
    speDir: await fs.readdir(repo.path(".git", "spe")).catch(() => []),
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// [argv, the id as the error quotes it]
const positional: [string[], string][] = [
  [["show", "--", "--force"], '"--force"'],
  [["status", "a\nb"], '"a\\nb"'],
  [["plan", "a..b"], '"a..b"'],
  [["exec", "--", "@{-1}"], '"@{-1}"'],
  [["drift", "x.lock"], '"x.lock"'],
  [["abort", ".hidden sp\u001b[2J"], '".hidden sp\\u001b[2J"'],
];
const specIds: [string, string][] = [
  ["-x", '"-x"'],
  ["a\tb", '"a\\tb"'],
  [".hidden.lock", '".hidden.lock"'],
];

describe("hostile spec ids", () => {
  it("are refused by every command with exit 2 and one line, never reaching git", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      const id = await seedSpec(repo);
      // The user's state: a stash, a staged and an unstaged change.
      await repo.write("README.md", "# stashed\n");
      await repo.git(["stash", "push", "-q"]);
      await repo.write("src/math.js", "// staged\n");
      await repo.git(["add", "src/math.js"]);
      await repo.write("README.md", "# unstaged\n");
      const before = await repoState(repo);

      const runs = [
        ...positional.map(([argv, quoted]) => ({
          argv,
          hostile: argv.at(-1) as string,
          message: `error: no spec matches ${quoted} (git spe status lists them)`,
        })),
        ...specIds.map(([hostile, quoted]) => ({
          argv: ["spec", `--id=${hostile}`, "add square"],
          hostile,
          message: `error: invalid spec id ${quoted}: `,
        })),
      ];
      // Two at a time (two cores), each with its own trace file.
      const check = async (run: (typeof runs)[number], n: number) => {
        const trace = repo.path(".git", `trace-${n}.log`);
        const result = await runCli(run.argv, { cwd: repo.dir, env: { GIT_TRACE: trace } });
        const what = JSON.stringify(run.argv);
        expect(result.exitCode, `${what}: ${result.stderr}`).toBe(2);
        const lines = result.stderr.split("\n");
        expect(lines[0]?.startsWith(run.message), `${what}: ${lines[0]}`).toBe(true);
        expect(
          lines.slice(1).every((l) => l.startsWith("hint: ")),
          what,
        ).toBe(true);
        expect(lines.length, what).toBeLessThanOrEqual(2);
        expect(result.stderr, what).not.toContain("\u001b");
        const traced = await fs.readFile(trace, "utf8");
        await fs.rm(trace);
        expect(traced, what).toMatch(/trace: built-in: git rev-parse/);
        expect(traced, what).not.toMatch(
          new RegExp(`(^|[\\s'"=])${escape(run.hostile)}([\\s'"]|$)`, "m"),
        );
      };
      for (let i = 0; i < runs.length; i += 2)
        await Promise.all(runs.slice(i, i + 2).map((run, j) => check(run, i + j)));
      // An option-looking id without "--" is an unknown option: exit 2, one line and a hint.
      const option = await runCli(["exec", "-x"], { cwd: repo.dir });
      expect(option.exitCode).toBe(2);
      expect(option.stderr).toBe(
        "error: unknown option -x for git spe exec\nhint: See: git spe exec -h",
      );

      expect(await repoState(repo)).toEqual(before);
      expect((await runCli(["status", id], { cwd: repo.dir })).exitCode).toBe(0);
    });
  });

  it("made from a model's title that looks hostile come out as a safe slug", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        server.reply(
          "gemini",
          mockReply.text(
            JSON.stringify({ ...specAnswer, title: "--force ../../x.lock @{-1} .hidden" }),
          ),
        );
        const made = await runCli(["spec", "add square", "--json"], {
          cwd: repo.dir,
          env: geminiEnv(server.geminiBaseUrl),
        });
        expect(made.exitCode, made.stderr).toBe(0);
        const { id } = JSON.parse(made.stdout) as { id: string };
        expect(id).toMatch(/^\d{8}-force-x-lock-1-hidden$/);
        expect(await repo.git(["check-ref-format", "--branch", `spe/${id}`])).toBe(`spe/${id}`);
        expect(await repo.exists(`.spe/${id}/AI-SPEC.md`)).toBe(true);
        const shown = await runCli(["show", id], { cwd: repo.dir });
        expect(shown.exitCode).toBe(0);
        expect(shown.stdout).toContain("# --force ../../x.lock @{-1} .hidden");
      });
    });
  });
});
