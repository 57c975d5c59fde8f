/**
 * The step prompt shows the step's files as they are in the worktree. A plan path is relative
 * and free of "..", but a tracked symlink can still lead out of the repository: a plan (a model's
 * or a hand-edited one) naming `link/secret.txt` must not send the file behind the link to the
 * model.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";
import { anthropicEnv, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

const secret = "OUTSIDE-THE-REPOSITORY-7f3a";

it("does not read a planned file through a symlink that points out of the worktree", async () => {
  await withTempDir(async (outside) => {
    await fs.writeFile(path.join(outside, "secret.txt"), `${secret}\n`);
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles({ validate: ["true"] }));
        await fs.symlink(outside, repo.path("linked"));
        await repo.commit("a symlink pointing out");
        await seedSpec(repo, {
          title: "Touch the linked file",
          summary: "A plan naming a file behind a symlink.",
          steps: [
            {
              id: "S1",
              title: "Edit it",
              description: "Edit the linked file and src/math.js.",
              files: [
                { path: "linked/secret.txt", action: "modify" },
                { path: "src/math.js", action: "modify" },
              ],
            },
          ],
        });
        server.reply("anthropic", mockReply.text("Nothing to do."));
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.status).toBe("merged");

        const [request] = server.requestsTo("anthropic");
        expect(request?.rawBody).not.toContain(secret);
        expect(request?.rawBody).toContain(
          "## linked/secret.txt (modify; not shown: it is outside the worktree)",
        );
        // The files inside are still shown.
        expect(request?.rawBody).toContain("## src/math.js (modify)");
        expect(await fs.readFile(path.join(outside, "secret.txt"), "utf8")).toBe(`${secret}\n`);
      });
    });
  });
});
