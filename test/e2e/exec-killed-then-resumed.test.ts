/**
 * `git spe exec` killed with SIGKILL in the middle of a step (the model's second turn in flight,
 * an edit already made in the worktree): main, its index and working tree are as before, and
 * `git spe exec --resume` completes the run.
 */
import fs from "node:fs/promises";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  edit,
  goodSession,
  mathSource,
  projectFiles,
  seedSpec,
  squareSource,
} from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

async function snapshot(repo: TestRepo) {
  return {
    head: await repo.git(["rev-parse", "HEAD"]),
    branch: await repo.git(["symbolic-ref", "HEAD"]),
    index: await repo.git(["ls-files", "--stage"]),
    status: await repo.git(["status", "--porcelain", "--untracked-files=all", "--", ":!.spe"]),
    math: await repo.read("src/math.js"),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("exec killed mid-step", () => {
  it("leaves main, the index and the working tree unchanged, and --resume completes the run", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        await repo.write("untracked-note.txt", "mine\n");
        await seedSpec(repo);
        const before = await snapshot(repo);
        const env = { ...process.env, ...anthropicEnv(server.anthropicBaseUrl) };
        const wrong = `${mathSource}\nexport function square(x) {\n  return x * 2;\n}\n`;
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "src/math.js",
            old_str: mathSource,
            new_str: wrong,
          }),
          mockReply.text("never sent", { delayMs: 120_000 }),
        );

        const child = execa(process.execPath, [cliPath, "exec"], {
          cwd: repo.dir,
          env,
          reject: false,
        });
        await until(() => server.requestsTo("anthropic").length === 2, "the second model turn");
        child.kill("SIGKILL");
        const killed = await child;
        expect(killed.signal).toBe("SIGKILL");

        expect(await snapshot(repo)).toEqual(before);

        server.reply("anthropic", ...goodSession.s1, ...goodSession.s2);
        const resumed = await execa(process.execPath, [cliPath, "exec", "--resume", "--json"], {
          cwd: repo.dir,
          env,
          reject: false,
        });
        expect(resumed.exitCode, resumed.stderr).toBe(0);
        expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "merged" });
        expect(resumed.stderr).toContain("S1: validating the changes left in the worktree");
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.read("untracked-note.txt")).toBe("mine\n");
        expect(await repo.git(["status", "--porcelain", "--", ":!.spe"])).toBe(
          "?? untracked-note.txt",
        );
      });
    });
  });
});

describe("exec interrupted with SIGINT", () => {
  it("stops the model call, saves the run, prints how to resume, and exits 130", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const id = await seedSpec(repo);
        const before = await snapshot(repo);
        server.reply("anthropic", mockReply.text("never sent", { delayMs: 120_000 }));
        const env = { ...process.env, ...anthropicEnv(server.anthropicBaseUrl) };
        const child = execa(process.execPath, [cliPath, "exec"], {
          cwd: repo.dir,
          env,
          reject: false,
        });
        await until(() => server.requestsTo("anthropic").length === 1, "the model call");
        child.kill("SIGINT");
        const result = await child;
        expect(result.exitCode).toBe(130);
        expect(result.stderr).toContain(
          `exec: interrupted; the run is saved. Continue: git spe exec ${id} --resume`,
        );
        expect(await snapshot(repo)).toEqual(before);
        const runsDir = repo.path(".git", "spe", "runs", id);
        const [runFile] = await fs.readdir(runsDir);
        expect(JSON.parse(await fs.readFile(`${runsDir}/${runFile}`, "utf8"))).toMatchObject({
          status: "interrupted",
          specId: id,
        });
      });
    });
  });
});
