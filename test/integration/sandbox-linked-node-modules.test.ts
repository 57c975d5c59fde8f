/**
 * A node_modules hard-linked from the user's checkout (deps "link") shares its files' inodes
 * with the user's: a write through the worktree's copy would change the user's. A command in
 * the sandbox finds it read-only; the editor tool replaces a linked file instead of writing it
 * in place. Either way the user's node_modules keeps its bytes.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import {
  anthropicEnv,
  bash,
  edit,
  goodSession,
  projectFiles,
  seedSpec,
  oneStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

it("writes through linked node_modules never reach the user's copy", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", {
        ...projectFiles({ exec: { worktree: { deps: "link" }, maxRepairs: 0 } }),
        "package-lock.json": '{"lockfileVersion": 3}\n',
        ".gitignore": "node_modules/\n",
      });
      const original = "module.exports = 1;\n";
      await repo.write("node_modules/dep/index.js", original);
      await seedSpec(repo, oneStepPlan);
      server.reply(
        "anthropic",
        bash("echo 'module.exports = 666;' >> node_modules/dep/index.js"),
        edit({
          command: "str_replace",
          path: "node_modules/dep/index.js",
          old_str: "= 1;",
          new_str: "= 2;",
        }),
        ...goodSession.s1,
      );
      const result = (await exec(
        testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
        { keepWorktree: true },
      )) as ExecSummary;
      expect(result.status).toBe("merged");
      const [bashResult] =
        (
          server.requestsTo("anthropic")[1]?.body as {
            messages: { content: { content?: string; is_error?: boolean }[] }[];
          }
        ).messages.at(-1)?.content ?? [];
      expect(bashResult?.is_error).toBe(true);
      expect(bashResult?.content).toContain("Read-only file system");
      expect(await repo.read("node_modules/dep/index.js")).toBe(original);
      // The editor's change is the worktree's own copy now.
      expect(
        await fs.readFile(path.join(result.worktree, "node_modules", "dep", "index.js"), "utf8"),
      ).toBe("module.exports = 2;\n");
    });
  });
});
