/**
 * The model's code keeps failing validation: after exec.maxRepairs repairs the run stops with
 * exit 1, main is unchanged, the branch and refs/spe/attempts/* exist, and the message says how
 * to inspect, resume or abort. The repair request carried the failing test output.
 */
import { describe, expect, it } from "vitest";
import { exec } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  edit,
  mathSource,
  projectFiles,
  seedSpec,
} from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

const wrong = (body: string) =>
  `${mathSource}\nexport function square(x) {\n  return ${body};\n}\n`;

describe("exec: a step that keeps failing validation", () => {
  it("stops after maxRepairs with exit 1, keeps every attempt, and leaves main alone", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const mainBefore = await repo.git(["rev-parse", "main"]);
        const id = await seedSpec(repo);
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "src/math.js",
            old_str: mathSource,
            new_str: wrong("x * 2"),
          }),
          mockReply.text("Added square."),
          edit({ command: "str_replace", path: "src/math.js", old_str: "x * 2", new_str: "x + x" }),
          mockReply.text("Fixed square."),
        );
        const error = await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        ).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toMatch(
          /^S1 "Add square" still fails validation after 2 attempt\(s\): npm test exited 1/,
        );
        const hints = (error as SpeError).hints.join("\n");
        expect(hints).toContain("Inspect: cd ");
        expect(hints).toContain(`Resume: git spe exec ${id} --resume`);
        expect(hints).toContain(`Abort: git spe abort ${id}`);

        expect(await repo.git(["rev-parse", "main"])).toBe(mainBefore);
        expect(await repo.read("src/math.js")).toBe(mathSource);
        expect(await repo.git(["rev-parse", `refs/heads/spe/${id}`])).toBe(mainBefore);
        const attempts = (
          await repo.git(["for-each-ref", "--format=%(refname)", "refs/spe/attempts"])
        ).split("\n");
        expect(attempts).toHaveLength(2);
        expect(attempts.every((ref) => /^refs\/spe\/attempts\/[\w-]+\/S1\/[12]$/.test(ref))).toBe(
          true,
        );
        expect(await repo.git(["show", `${attempts[1]}:src/math.js`])).toContain("return x + x;");

        const repair = JSON.stringify(server.requestsTo("anthropic")[2]?.body);
        expect(repair).toContain("# Validation failed");
        expect(repair).toContain("attempt 2 of");
        expect(repair).toMatch(/\$ npm test\\n\(exit code 1\)/);
        expect(repair).toContain("return x * 2;");
      });
    });
  });
});
