/**
 * spec → plan → status → show through the built CLI, against the mock Gemini API, with both
 * stores. The prompts are read from the package's prompts/ directory, as after an install.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

describe("git spe spec and plan, end to end", () => {
  for (const store of ["dir", "notes"] as const) {
    it(`runs spec, plan, status and show with the ${store} store`, async () => {
      await withMockModelServer(async (server) => {
        await withGitRepo(async (repo) => {
          await repo.commit("config", { ".sperc.json": JSON.stringify({ store }) });
          const head = await makeProject(repo);
          const env = geminiEnv(server.geminiBaseUrl);
          server.reply(
            "gemini",
            mockReply.text(JSON.stringify(specAnswer)),
            mockReply.text(JSON.stringify(planAnswer)),
          );

          const specRun = await runCli(["spec", "add a square function", "--json"], {
            cwd: repo.dir,
            env,
          });
          expect(specRun.exitCode, specRun.stderr).toBe(0);
          const { id } = JSON.parse(specRun.stdout) as { id: string };
          expect(specRun.stderr).toContain(`spec ${id}: "Add a square function"`);
          expect(specRun.stderr).toMatch(
            /google:gemini-2\.5-pro: [\d,]+ in, [\d,]+ out, \$[\d.]+, [\d.]+ s/,
          );

          const planRun = await runCli(["plan", "--json"], { cwd: repo.dir, env });
          expect(planRun.exitCode, planRun.stderr).toBe(0);
          expect(JSON.parse(planRun.stdout)).toMatchObject({ id, planned: { steps: 2 } });

          const list = JSON.parse(
            (await runCli(["status", "--json"], { cwd: repo.dir })).stdout,
          ) as { specs: { id: string; status: string }[] };
          expect(list.specs).toEqual([expect.objectContaining({ id, status: "planned" })]);
          const planText = await runCli(["show", id.slice(0, 10), "plan"], { cwd: repo.dir });
          expect(planText.stdout).toContain(
            "## S2: Test square\n\nfiles: modify `test/calc.test.js`, create `test/square.test.js`",
          );

          if (store === "dir") {
            expect(await repo.exists(`.spe/${id}/AI-PLAN.md`)).toBe(true);
          } else {
            expect(await repo.exists(".spe")).toBe(false);
            expect(await repo.git(["notes", "--ref=refs/notes/spe", "show", head])).toContain(
              "# Add a square function",
            );
          }
        });
      });
    });
  }

  it("names the variable to set when the key is missing (exit 3)", async () => {
    await withGitRepo(async (repo) => {
      const result = await runCli(["spec", "anything"], { cwd: repo.dir });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain(
        "google: no API key; set GEMINI_API_KEY or GOOGLE_API_KEY in the environment",
      );
    });
  });
});
