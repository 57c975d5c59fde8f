/**
 * `git spe init --ci github|gitlab` and the job it writes. The workflow passes a real workflow
 * validator (@action-validator/cli). The job's script — taken out of the generated YAML, the
 * same commands — runs with CI=true in a clone of a bare remote on disk, with the built CLI as
 * `git spe`, a fake `gh` on PATH that records what it is asked, and the mock model server: the
 * run branch and the notes reach the remote, the pull request's body is the run record; a
 * failing validation fails the job and still pushes the branch; two jobs of two specs at once in
 * two clones of the same remote both land, notes merged.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { jobScript, jobStepName } from "../../src/ci/workflows.ts";
import { binDirWithGitSpe, pathWith, runCli } from "../helpers/cli.ts";
import {
  anthropicEnv,
  edit,
  mathSource,
  projectFiles,
  seedSpec,
  squarePlan,
  squareSource,
  wrongSquareSource,
} from "../helpers/exec-fixtures.ts";
import { projectRoot, withGitRepo, withTempDir, type TestRepo } from "../helpers/git-repo.ts";
import {
  mockReply,
  withMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    {
      concurrency?: { group: string };
      env?: Record<string, string>;
      steps: { id?: string; name?: string; run?: string; uses?: string }[];
    }
  >;
}

const validator = path.join(projectRoot, "node_modules", ".bin", "action-validator");

/** A fake `gh` that logs each call (argv, and the body file's text) and knows no PR yet. */
const fakeGh = `#!/bin/sh
log="$FAKE_GH_LOG"
body=""
prev=""
for a in "$@"; do
  [ "$prev" = "--body-file" ] && body=$(cat "$a")
  prev="$a"
done
node -e 'process.stdout.write(JSON.stringify({argv: process.argv.slice(1, -1), body: process.argv.at(-1)}) + "\\n")' "$@" "$body" >> "$log"
case "$1 $2" in
"pr view") exit 1 ;;
esac
exit 0
`;

async function initCi(repo: TestRepo, ci: "github" | "gitlab"): Promise<string> {
  const result = await runCli(["init", "--ci", ci, "--hooks", "none", "--json"], {
    cwd: repo.dir,
    env: process.env,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  const file = ci === "github" ? ".github/workflows/git-spe.yml" : ".gitlab/git-spe.gitlab-ci.yml";
  expect(JSON.parse(result.stdout).files).toContainEqual({ path: file, action: "created" });
  return repo.read(file);
}

/** A developer's repository with `count` planned specs, pushed to a bare remote. */
async function project(repo: TestRepo, remote: string, ids: string[]) {
  await repo.commit("project", projectFiles({ store: "notes" }));
  for (const id of ids) await seedSpec(repo, squarePlan(), id);
  await execa("git", ["init", "--quiet", "--bare", remote]);
  await repo.git(["remote", "add", "origin", remote]);
  await repo.git(["push", "--quiet", "origin", "main", "refs/notes/spe"]);
}

/** `project` in a fresh repository and remote, with the mock model server and a scratch dir. */
async function withCiProject(
  ids: string[],
  fn: (c: {
    server: MockModelServer;
    scratch: string;
    repo: TestRepo;
    remote: string;
  }) => Promise<void>,
): Promise<void> {
  await withMockModelServer(async (server) => {
    await withTempDir(async (scratch) => {
      await withGitRepo(async (repo) => {
        const remote = path.join(scratch, "remote.git");
        await project(repo, remote, ids);
        await fn({ server, scratch, repo, remote });
      });
    });
  });
}

/** Runs the job script as the CI would, in a fresh clone of `remote`. */
async function runJob(
  scratch: string,
  remote: string,
  spec: string,
  server: MockModelServer,
  name: string,
) {
  const clone = path.join(scratch, name);
  await execa("git", ["clone", "--quiet", remote, clone]);
  const bin = binDirWithGitSpe(path.join(scratch, `${name}-tools`));
  await fs.writeFile(path.join(bin, "gh"), fakeGh, { mode: 0o755 });
  const tmp = path.join(scratch, `${name}-tmp`);
  await fs.mkdir(tmp);
  const log = path.join(scratch, `${name}-gh.jsonl`);
  const result = await execa("bash", ["-e", "-c", jobScript()], {
    cwd: clone,
    env: {
      ...process.env,
      ...anthropicEnv(server.anthropicBaseUrl),
      CI: "true",
      PATH: pathWith(bin),
      SPEC: spec,
      BASE_BRANCH: "main",
      SPE_PR: "github",
      SPE_TMP: tmp,
      FAKE_GH_LOG: log,
    },
    stdin: "ignore",
    reject: false,
    all: true,
  });
  const calls = (await fs.readFile(log, "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { argv: string[]; body: string });
  return { exitCode: result.exitCode, output: result.all ?? "", calls };
}

const remoteRef = async (remote: string, ref: string) =>
  (
    await execa("git", ["--git-dir", remote, "rev-parse", "--verify", "--quiet", ref], {
      reject: false,
    })
  ).stdout;

/** The scripted model for a spec's S1: the edit, then done (`square` the right or wrong way). */
function squareSession(right: boolean) {
  return [
    edit({
      command: "str_replace",
      path: "src/math.js",
      old_str: mathSource,
      new_str: right ? squareSource : wrongSquareSource,
    }),
    mockReply.text("Added square."),
  ];
}

describe("git spe init --ci", () => {
  it("github: a workflow the validator accepts, whose job script is git spe's", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles({ models: { exec: "claude-code" } }));
      const text = await initCi(repo, "github");
      const checked = await execa(
        validator,
        [path.join(repo.dir, ".github/workflows/git-spe.yml")],
        {
          reject: false,
        },
      );
      expect(checked.exitCode, `${checked.stdout}${checked.stderr}`).toBe(0);
      const workflow = parse(text) as Workflow;
      expect(Object.keys(workflow.on)).toEqual(["workflow_dispatch", "push"]);
      const exec = workflow.jobs.exec!;
      expect(exec.concurrency?.group).toBe("git-spe-${{ matrix.spec }}");
      // The key by the name the config's exec model uses, from the CI's secrets.
      expect(exec.env?.ANTHROPIC_API_KEY).toBe("${{ secrets.ANTHROPIC_API_KEY }}");
      const steps = exec.steps;
      expect(steps.find((s) => s.name === jobStepName)?.run).toBe(jobScript());
      const install = steps.find((s) => s.name?.startsWith("install"))?.run ?? "";
      expect(install).toMatch(
        /npm install --global git-spe@\d+\.\d+\.\d+ @anthropic-ai\/claude-code/,
      );
      expect(install).toContain("bubblewrap");
      // Nothing a pusher controls is pasted into a script.
      for (const step of Object.values(workflow.jobs).flatMap((j) => j.steps))
        expect(step.run ?? "").not.toContain("${{");

      const again = await runCli(["init", "--ci", "github", "--hooks", "none"], {
        cwd: repo.dir,
        env: process.env,
      });
      expect(again.stderr).toMatch(/left alone\s+\.github\/workflows\/git-spe\.yml/);
    });
  });

  it("github: the plans job finds the specs a push added or changed, or the one named", async () => {
    await withTempDir(async (scratch) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const workflow = parse(await initCi(repo, "github")) as Workflow;
        const find = workflow.jobs.plans!.steps.find((s) => s.id === "find")!.run!;
        const before = await repo.git(["rev-parse", "HEAD"]);
        await seedSpec(repo, squarePlan(), "20261206-add-square");
        await seedSpec(repo, squarePlan(), "20261206-square-again");
        await repo.git(["add", ".spe"]);
        await repo.git(["commit", "--quiet", "-m", "plans"]);
        await repo.commit("an unrelated change", { "README.md": "# math\n" });
        const specs = async (vars: Record<string, string>) => {
          const output = path.join(scratch, `out-${Math.random()}`);
          const result = await execa("bash", ["-e", "-c", find], {
            cwd: repo.dir,
            env: { ...process.env, SPEC_INPUT: "", BEFORE: "", GITHUB_OUTPUT: output, ...vars },
          });
          expect(result.exitCode).toBe(0);
          return JSON.parse((await fs.readFile(output, "utf8")).replace(/^specs=/, ""));
        };
        expect(await specs({ BEFORE: before })).toEqual([
          "20261206-add-square",
          "20261206-square-again",
        ]);
        expect(await specs({ BEFORE: "0".repeat(40) })).toEqual([]);
        expect(await specs({ SPEC_INPUT: "20261206-sq", BEFORE: before })).toEqual(["20261206-sq"]);
      });
    });
  });

  it("gitlab: a job to include, with the same script", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      const job = parse(await initCi(repo, "gitlab")) as Record<
        string,
        { script: string[]; resource_group: string }
      >;
      const script = job["git-spe"]!.script;
      expect(script.at(-1)).toBe(jobScript());
      expect(job["git-spe"]!.resource_group).toBe("git-spe-$SPEC");
    });
  });
});

describe("the CI job", () => {
  it("pushes the run branch and the notes and opens a pull request with the run record", async () => {
    const id = "20261206-add-square";
    await withCiProject([id], async ({ server, scratch, repo, remote }) => {
      server.reply("anthropic", ...squareSession(true));
      const job = await runJob(scratch, remote, "20261206", server, "ci");
      expect(job.exitCode, job.output).toBe(0);

      const branch = await remoteRef(remote, `refs/heads/spe/${id}`);
      expect(branch).toMatch(/^[0-9a-f]{40}$/);
      const shown = await execa("git", ["--git-dir", remote, "show", `${branch}:src/math.js`]);
      expect(`${shown.stdout}\n`).toBe(squareSource);
      expect(await remoteRef(remote, "refs/heads/main")).toBe(
        await repo.git(["rev-parse", "main"]),
      );

      // The developer takes the CI's work into main and pushes it through the pre-push
      // gate: refused while the CI's validation records are not here, let through once
      // its notes are pulled (the run record attached to the step commit).
      const hooks = await runCli(["init", "--hooks", "git"], {
        cwd: repo.dir,
        env: process.env,
      });
      expect(hooks.exitCode, hooks.stderr).toBe(0);
      await repo.git(["fetch", "--quiet", "origin", `spe/${id}`]);
      await repo.git(["merge", "--quiet", "--ff-only", "FETCH_HEAD"]);
      const push = () =>
        execa("git", ["push", "origin", "main"], {
          cwd: repo.dir,
          env: { ...process.env, PATH: pathWith(binDirWithGitSpe(scratch)) },
          reject: false,
        });
      const refused = await push();
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toContain("push refused");
      await repo.git(["fetch", "--quiet", "origin", "+refs/notes/spe:refs/notes/spe"]);
      const note = await repo.git(["notes", "--ref=spe", "show", branch]);
      expect(note).toContain('"runs"');
      const pushed = await push();
      expect(pushed.exitCode, pushed.stderr).toBe(0);
      expect(await remoteRef(remote, "refs/heads/main")).toBe(branch);

      const create = job.calls.find((c) => c.argv[0] === "pr" && c.argv[1] === "create");
      expect(create?.argv).toEqual(
        expect.arrayContaining(["--base", "main", "--head", `spe/${id}`]),
      );
      expect(create!.body).toContain(`## git spe run \`${id}\`: done`);
      const tree = await execa("git", ["--git-dir", remote, "rev-parse", `${branch}^{tree}`]);
      expect(create!.body).toContain(`**final**: passed on tree \`${tree.stdout.slice(0, 12)}\``);
    });
  }, 120_000);

  it("a failing validation fails the job, and the branch and the record still arrive", async () => {
    const id = "20261206-add-square";
    await withCiProject([id], async ({ server, scratch, remote }) => {
      server.reply("anthropic", ...squareSession(false), ...squareSession(false));
      const job = await runJob(scratch, remote, id, server, "ci");
      expect(job.exitCode, job.output).toBe(1);
      expect(await remoteRef(remote, `refs/heads/spe/${id}`)).toMatch(/^[0-9a-f]{40}$/);
      const create = job.calls.find((c) => c.argv[1] === "create");
      expect(create!.body).toContain(`: failed`);
      expect(create!.body).toContain("Output of the failing validation");
    });
  }, 120_000);

  it("two specs run by two jobs at once in two clones: both branches and both records land", async () => {
    const ids = ["20261206-add-square", "20261206-square-again"];
    await withCiProject(ids, async ({ server, scratch, repo, remote }) => {
      // Answers by the step's spec, whichever job asks first.
      const turns = new Map<string, number>();
      server.handle("anthropic", (request) => {
        const spec = ids.find((id) => request.rawBody.includes(id)) ?? "?";
        const turn = turns.get(spec) ?? 0;
        turns.set(spec, turn + 1);
        return squareSession(true)[Math.min(turn, 1)]!;
      });
      const [a, b] = await Promise.all([
        runJob(scratch, remote, ids[0]!, server, "ci-a"),
        runJob(scratch, remote, ids[1]!, server, "ci-b"),
      ]);
      expect(a.exitCode, a.output).toBe(0);
      expect(b.exitCode, b.output).toBe(0);
      await repo.git(["fetch", "--quiet", "origin", "+refs/notes/spe:refs/notes/spe"]);
      for (const id of ids) {
        const branch = await remoteRef(remote, `refs/heads/spe/${id}`);
        expect(branch).toMatch(/^[0-9a-f]{40}$/);
        expect(await repo.git(["notes", "--ref=spe", "show", branch])).toContain(id);
      }
    });
  }, 180_000);
});
