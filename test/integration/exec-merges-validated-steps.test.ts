/**
 * The model edits and creates files through the editor tool and runs a command through bash;
 * validation passes; the work lands on main as one commit per step with the trailers. The
 * user's untracked files and stash are untouched; the scratch worktree and branch are gone.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  squareSource,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

describe("exec: validated steps merge into main", () => {
  it("commits each step with trailers, merges, and leaves the user's files and stash alone", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        // The user's own state: an untracked file and a stash entry.
        await repo.write("notes.txt", "my notes\n");
        await repo.write("README.md", "# stashed change\n");
        await repo.git(["stash", "push", "-q", "-m", "my wip", "--", "README.md"]);
        const stashBefore = await repo.git(["stash", "list", "--format=%H %gs"]);
        const mainBefore = await repo.git(["rev-parse", "main"]);
        const id = await seedSpec(repo);

        server.reply("anthropic", ...goodSession.s1, ...goodSession.s2);
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;

        expect(result.status).toBe("merged");
        expect(result.merge).toMatchObject({
          mode: "ff",
          result: "fast-forward",
          target: "refs/heads/main",
        });
        const log = (await repo.git(["log", "--format=%s%n%b%x00", `${mainBefore}..main`]))
          .split("\0")
          .map((s) => s.trim())
          .filter(Boolean);
        expect(log).toHaveLength(2);
        expect(log[1]).toMatch(
          new RegExp(
            `^S1: Add square\\n[^]*Spe-Spec: ${id}\\nSpe-Step: S1\\nSpe-Run: ${result.runId}$`,
          ),
        );
        expect(log[0]).toMatch(
          new RegExp(
            `^S2: Document square\\n[^]*Spe-Spec: ${id}\\nSpe-Step: S2\\nSpe-Run: ${result.runId}$`,
          ),
        );
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.read("docs/math.md")).toContain("square(x)");

        expect(await repo.read("notes.txt")).toBe("my notes\n");
        expect(await repo.git(["stash", "list", "--format=%H %gs"])).toBe(stashBefore);
        // Besides the spec's own files under .spe/, the only untracked file is the user's.
        expect(await repo.git(["status", "--porcelain", "--", ":!.spe"])).toBe("?? notes.txt");
        await expect(fs.access(result.worktree)).rejects.toThrow();
        expect(await repo.git(["worktree", "list", "--porcelain"])).not.toContain("spe/");
        expect(
          await repo.gitRaw(["rev-parse", "--verify", "--quiet", `refs/heads/spe/${id}`]),
        ).toMatchObject({ exitCode: 1 });

        // What the model saw: the client tools, the spec, the step and its file.
        const first = server.requestsTo("anthropic")[0]?.body as {
          tools: { type: string; name: string }[];
          messages: { content: unknown }[];
        };
        expect(first.tools).toEqual([
          { type: "text_editor_20250728", name: "str_replace_based_edit_tool" },
          { type: "bash_20250124", name: "bash" },
        ]);
        const prompt = JSON.stringify(first.messages[0]?.content);
        expect(prompt).toContain("# Your step: S1");
        expect(prompt).toContain("## src/math.js (modify)");
        // The bash tool ran npm test in the worktree: the second request carries its output.
        expect(JSON.stringify(server.requestsTo("anthropic")[2]?.body)).toMatch(/pass 2/);

        expect(JSON.parse(await repo.read(`.spe/${id}/runs/${result.runId}.json`))).toMatchObject({
          status: "merged",
          steps: [{ status: "committed" }, { status: "committed" }],
        });
        const tree = await repo.git(["rev-parse", "main^{tree}"]);
        expect(JSON.parse(await repo.read(`.git/spe/validated/${tree}.json`))).toMatchObject({
          passed: true,
          commands: ["npm test"],
        });
        expect(JSON.parse(await repo.read(`.spe/${id}/state.json`))).toMatchObject({
          phase: "done",
          status: "merged",
        });
        expect(result.drift).toEqual({
          clean: true,
          steps: [
            { step: "S1", plannedUntouched: [], unplannedTouched: [] },
            { step: "S2", plannedUntouched: [], unplannedTouched: [] },
          ],
        });
      });
    });
  });
});
