/**
 * Before merging, exec asks `git status` whether the user's uncommitted changes touch the files
 * the run changes. A plain `git status` takes `.git/index.lock` and rewrites the index when it
 * refreshes stale stat data: a user's `git add` at that moment fails, and a SIGTERM (how a
 * Ctrl-C of git spe stops its children) sometimes leaves the lock behind, blocking every later
 * git command (seen in bench/kill-trials.mjs; plain git: 22 of 300 early SIGTERMs). exec asks
 * with --no-optional-locks: the user's index file is never written unless the merge moves it.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { exec } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  mathSource,
  projectFiles,
  seedSpec,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

describe("exec's look at the user's checkout before a merge", () => {
  it("does not write the user's index, even with stale stat data to refresh", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
        // An overlapping change, so the merge is refused and nothing else touches the index...
        await repo.write("src/math.js", `${mathSource}// my local note\n`);
        // ...and a file whose stat data no longer matches the index (same content, new mtime).
        const later = new Date(Date.now() + 60_000);
        await fs.utimes(repo.path("README.md"), later, later);
        const index = await fs.readFile(repo.path(".git", "index"));
        server.reply("anthropic", ...goodSession.s1);

        const error = await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).message).toMatch(/touch files the run changes: src\/math\.js$/);
        expect(await fs.readFile(repo.path(".git", "index"))).toEqual(index);
        // A plain git status would have written it: the test would notice.
        await repo.git(["status", "--porcelain"]);
        expect(await fs.readFile(repo.path(".git", "index"))).not.toEqual(index);
      });
    });
  });
});
