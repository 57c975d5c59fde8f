/**
 * Model providers from a plugin (test/fixtures/scribe-plugin.ts): one answers the spec phase
 * as `models.spec`, built by its factory with the config's `providers.<kind>` settings and the
 * key from the variable they name; as `models.exec` a provider with `execute` carries out the
 * steps, and one with only `call` is asked to do each step in the worktree, like an agent CLI.
 */
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { spec } from "../../src/commands/spec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { projectFiles, seedSpec, squareSource } from "../helpers/exec-fixtures.ts";
import { fixture, speConfigTs } from "../helpers/plugin-config.ts";

async function project(repo: TestRepo, models: Record<string, string>): Promise<void> {
  const { ".sperc.json": _json, ...files } = projectFiles();
  await repo.commit("project", {
    ...files,
    ".spe.config.ts": speConfigTs({
      imports: { [fixture("scribe-plugin.ts")]: ["scribe"] },
      plugins: ["scribe()"],
      config: {
        models,
        providers: { scribe: { apiKeyEnv: "SCRIBE_TOKEN", timeoutSec: 30 } },
        validate: ["npm test"],
        exec: { worktree: { deps: "none" }, maxRepairs: 0 },
      },
    }),
  });
}

describe("plugin model providers", () => {
  it("answer a phase as models.spec, built with the config's settings and the key from the environment", async () => {
    await withGitRepo(async (repo) => {
      await project(repo, { spec: "scribe:v1" });
      const ctx = testCommandContext(repo.dir, { env: { SCRIBE_TOKEN: "scribe-secret-1" } });
      const result = await spec(ctx, { request: "add square(x)" });
      expect(result.title).toBe("Scribed square");
      expect(result.usage).toMatchObject({ model: "scribe:v1", inputTokens: 10, outputTokens: 5 });
      expect(await repo.read(`.spe/${result.id}/AI-SPEC.md`)).toContain("# Scribed square");
      expect(ctx.log.lines.map((l) => l.text)).toContain(
        "scribe: factory scribe:v1 model=v1 key=scribe-secret-1 timeout=30",
      );
    });
  });

  it("carry out the steps as models.exec through execute()", async () => {
    await withGitRepo(async (repo) => {
      await project(repo, { exec: "scribe:v1" });
      await seedSpec(repo);
      const ctx = testCommandContext(repo.dir);
      const result = (await exec(ctx, {})) as ExecSummary;
      expect(result.status).toBe("merged");
      expect(await repo.read("src/math.js")).toBe(squareSource);
      expect(await repo.read("docs/math.md")).toContain("square(x)");
      expect(ctx.log.lines.map((l) => l.text)).toEqual(
        expect.arrayContaining(["scribe: executed did S1", "scribe: executed did S2"]),
      );
      const run = JSON.parse(await repo.read(`.spe/${result.specId}/runs/${result.runId}.json`));
      expect(run.steps[0].attempts[0].executor).toMatchObject({ model: "scribe:v1", turns: 1 });
    });
  });

  it("do a step in the worktree through call() when they have no execute()", async () => {
    await withGitRepo(async (repo) => {
      await project(repo, { exec: "scribe-agent" });
      await seedSpec(repo);
      const result = (await exec(testCommandContext(repo.dir), {})) as ExecSummary;
      expect(result.status).toBe("merged");
      expect(await repo.read("src/math.js")).toBe(squareSource);
      const run = JSON.parse(await repo.read(`.spe/${result.specId}/runs/${result.runId}.json`));
      expect(run.steps[1].attempts[0].executor).toMatchObject({
        model: "scribe:agent",
        summary: "did S2",
      });
    });
  });
});
