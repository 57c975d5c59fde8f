/**
 * The worktree gets the files .worktreeinclude lists and node_modules hard-linked when the
 * lockfile is the same. A model that moves a ref (here: drops the user's stash entry) fails the
 * step and the stash entry is put back. --max-cost stops a run cleanly once it costs more.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  bash,
  goodSession,
  projectFiles,
  seedSpec,
  oneStepPlan,
} from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

describe("exec: worktree bootstrap", () => {
  it("copies .worktreeinclude files and hard-links node_modules when the lockfile matches", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const files = projectFiles({
          validate: ["test -f .env", "test -f node_modules/dep/index.js", "npm test"],
          exec: { worktree: { deps: "link" }, maxRepairs: 0 },
        });
        await repo.commit("project", {
          ...files,
          "package-lock.json": '{"lockfileVersion": 3}\n',
          ".gitignore": "node_modules/\n.env\n",
          ".worktreeinclude": ".env\n",
        });
        await repo.write(".env", "SECRET_FOR_TESTS=1\n");
        await repo.write("node_modules/dep/index.js", "module.exports = 1;\n");
        await seedSpec(repo, oneStepPlan);
        server.reply("anthropic", ...goodSession.s1);
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          { keepWorktree: true },
        )) as ExecSummary;
        expect(result.status).toBe("merged");
        const linked = await fs.stat(path.join(result.worktree, "node_modules", "dep", "index.js"));
        expect(linked.ino).toBe((await fs.stat(repo.path("node_modules", "dep", "index.js"))).ino);
        expect(await fs.readFile(path.join(result.worktree, ".env"), "utf8")).toBe(
          "SECRET_FOR_TESTS=1\n",
        );
      });
    });
  });
});

describe("exec: refs the model must not move", () => {
  it("fails the step when the model drops the user's stash entry, and puts the entry back (sandbox off: the orchestrator's own check)", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit(
          "project",
          projectFiles({ exec: { worktree: { deps: "none" }, maxRepairs: 1, sandbox: "off" } }),
        );
        await repo.write("README.md", "# wip\n");
        await repo.git(["stash", "push", "-q", "-m", "precious work", "--", "README.md"]);
        const stash = await repo.git(["stash", "list", "--format=%H %gs"]);
        await seedSpec(repo, oneStepPlan);
        server.reply("anthropic", bash("git stash drop"), mockReply.text("Cleaned up."));
        const error = await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).message).toMatch(
          /^S1: while model code ran, the stash changed \(1 entry gone\), put back; the step fails/,
        );
        expect(await repo.git(["stash", "list", "--format=%H %gs"])).toBe(stash);
      });
    });
  });
});

describe("exec --max-cost", () => {
  it("stops once the run costs more than the limit, saying how to go on", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const id = await seedSpec(repo);
        // claude-sonnet-5-5 at $2/M input: a million input tokens cost $2.
        server.reply(
          "anthropic",
          mockReply.text("Thinking about it.", { usage: { input: 1_000_000, output: 10 } }),
        );
        const error = await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          { maxCost: 0.5 },
        ).catch((e: unknown) => e);
        expect((error as SpeError).message).toMatch(
          /^stopped: the run has cost \$2\.\d\d, over --max-cost \$0\.50$/,
        );
        expect((error as SpeError).hints[0]).toBe(
          `Continue with a higher limit: git spe exec ${id} --resume --max-cost 1.00`,
        );
        expect(server.requestsTo("anthropic")).toHaveLength(1);
      });
    });
  });
});
