/**
 * No sandbox, no unattended run: where bubblewrap is missing, `git spe exec` and
 * `git spe validate` stop before creating anything, exit 3, and say in one line what is missing
 * and how to fix it. With `exec.sandbox: "off"` they run, and warn every time (doctor too).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  oneStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

/** A PATH holding the tools a run needs (symlinked), but no bwrap. */
function pathWithoutBwrap(dir: string): string {
  const bin = path.join(dir, "no-bwrap-bin");
  fs.mkdirSync(bin, { recursive: true });
  for (const tool of ["git", "sh", "bash", "env", "cat", "ls", "rm", "mkdir", "grep", "sed"]) {
    const found = (process.env.PATH ?? "")
      .split(path.delimiter)
      .map((d) => path.join(d, tool))
      .find((p) => fs.existsSync(p));
    if (found && !fs.existsSync(path.join(bin, tool))) fs.symlinkSync(found, path.join(bin, tool));
  }
  if (!fs.existsSync(path.join(bin, "node")))
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
  return bin;
}

describe("without bubblewrap", () => {
  it("exec and validate refuse with exit 3 and the fix, leaving no run, branch or worktree", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles({ validate: ["node --test"] }));
      const id = await seedSpec(repo, oneStepPlan);
      const env = {
        ...anthropicEnv("http://127.0.0.1:9"),
        HOME: process.env.HOME,
        PATH: pathWithoutBwrap(repo.path(".git")),
      };
      const ran = await runCli(["exec", id, "--yes"], { cwd: repo.dir, env });
      expect(ran.exitCode).toBe(3);
      const [first, ...rest] = ran.stderr.trim().split("\n");
      expect(first).toBe(
        "error: no sandbox: bubblewrap (bwrap) is not installed; git spe will not run model code unconfined",
      );
      expect(rest.join("\n")).toContain("apt-get install bubblewrap");
      expect(await repo.git(["branch", "--list", "spe/*"])).toBe("");
      expect(fs.existsSync(repo.path(".git", "spe", "worktrees"))).toBe(false);
      expect(fs.existsSync(repo.path(".git", "spe", "runs"))).toBe(false);

      const validated = await runCli(["validate", "HEAD"], { cwd: repo.dir, env });
      expect(validated.exitCode).toBe(3);
      expect(validated.stderr).toContain("no sandbox: bubblewrap (bwrap) is not installed");

      const doctor = await runCli(["doctor", "--json"], { cwd: repo.dir, env });
      expect(JSON.parse(doctor.stdout).sandbox).toMatchObject({
        state: "unavailable",
        reason: "bubblewrap (bwrap) is not installed",
        fix: expect.stringContaining("apt-get install bubblewrap"),
      });
      const withBwrap = await runCli(["doctor", "--json"], {
        cwd: repo.dir,
        env: { ...env, PATH: process.env.PATH },
      });
      expect(JSON.parse(withBwrap.stdout).sandbox).toMatchObject({
        state: "on",
        policy: expect.stringMatching(
          /^bubblewrap [\d.]+: writes the worktree, a private \/tmp and \$HOME; git dir read-only; network: bash none; validate none; bootstrap registry\.npmjs\.org/,
        ),
      });
    });
  });

  it('with exec.sandbox "off" the run goes ahead, warning, and doctor warns too', async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit(
          "project",
          projectFiles({
            validate: ["node --test"],
            exec: { worktree: { deps: "none" }, maxRepairs: 0, sandbox: "off" },
          }),
        );
        const id = await seedSpec(repo, oneStepPlan);
        server.reply("anthropic", ...goodSession.s1);
        const env = {
          ...anthropicEnv(server.anthropicBaseUrl),
          HOME: process.env.HOME,
          PATH: pathWithoutBwrap(repo.path(".git")),
        };
        const ran = await runCli(["exec", id, "--yes"], { cwd: repo.dir, env });
        expect(ran.exitCode).toBe(0);
        expect(ran.stderr).toContain('exec.sandbox is "off": the commands the model runs');
        const doctor = await runCli(["doctor"], { cwd: repo.dir, env });
        expect(doctor.stderr + doctor.stdout).toContain('sandbox: exec.sandbox is "off"');
      });
    });
  });
});
