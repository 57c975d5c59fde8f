/**
 * The branch a run merges back into is the user's, and git allows names a shell would not:
 * a component starting with "-", quotes, ";", "$(…)" and backticks. exec merges into it like
 * into main: the name only ever travels as one argv element, so nothing is run and nothing is
 * read as an option.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  squareSource,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

const execFileP = promisify(execFile);
const branch = "x/-y;\"q'$(touch${IFS}pwned)`touch${IFS}pwned2`";

it("merges into a branch whose name is full of shell and option syntax", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      expect(await repo.git(["check-ref-format", "--branch", branch])).toBe(branch);
      await repo.git(["switch", "-q", "-c", branch]);
      const start = await repo.git(["rev-parse", "HEAD"]);
      await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
      server.reply("anthropic", ...goodSession.s1);

      const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
      const result = (await exec(ctx, {})) as ExecSummary;
      expect(result.status).toBe("merged");
      expect(result.merge).toMatchObject({
        result: "fast-forward",
        target: `refs/heads/${branch}`,
      });
      expect(await repo.git(["symbolic-ref", "HEAD"])).toBe(`refs/heads/${branch}`);
      expect(await repo.git(["rev-parse", "HEAD~1"])).toBe(start);
      expect(await repo.git(["rev-parse", "main"])).toBe(start);
      expect(await repo.read("src/math.js")).toBe(squareSource);
      expect(ctx.log.lines.map((l) => l.text)).toContain(
        `exec: merged into ${branch}: ${result.merge?.commit?.slice(0, 12)} (fast-forward)`,
      );
      expect((await fs.readdir(repo.dir)).filter((f) => f.startsWith("pwned"))).toEqual([]);
      expect(
        await repo.git(["status", "--porcelain", "--untracked-files=all", "--", ":!.spe"]),
      ).toBe("");

      // The printed undo command, pasted into a shell where exec ran, puts the branch back.
      const undo = ctx.log.lines
        .map((l) => /\(undo: (.*)\)$/.exec(l.text)?.[1])
        .find((u) => u !== undefined);
      expect(undo).toMatch(/^git reset --keep refs\/spe\/backup\/[\w-]+$/);
      await execFileP("sh", ["-c", undo as string], { cwd: repo.dir });
      expect(await repo.git(["rev-parse", "HEAD"])).toBe(start);
      expect(await repo.git(["symbolic-ref", "HEAD"])).toBe(`refs/heads/${branch}`);
    });
  });
});
