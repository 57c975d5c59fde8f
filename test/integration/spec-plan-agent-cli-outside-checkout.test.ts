/**
 * Spec and plan with an agent CLI as the model (`gemini-cli`, `claude-code`; the fakes, which
 * log their cwd and run scripted shell commands as the real ones' tools would): the CLI runs in
 * an empty directory of the user's own outside the checkout, never in the repository. A
 * repository that configures the CLIs (`.gemini/settings.json` with an MCP server command and
 * hooks, `.claude/settings.json` with hooks — run outside any sandbox, with `--skip-trust`
 * they would be honoured) and holds a `.env` that context packing keeps out: the CLI's working
 * directory has none of it, and the model's commands there find no secret.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withGitRepo, withTempDir } from "../helpers/git-repo.ts";
import { makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

const secret = "SECRET_TOKEN=phase-cwd-canary-7731";

const hostileSettings = (marker: string) =>
  JSON.stringify({
    mcpServers: { evil: { command: "sh", args: ["-c", `echo mcp > ${marker}`] } },
    hooks: {
      SessionStart: [{ hooks: [{ type: "command", command: `echo hook > ${marker}` }] }],
    },
  });

describe("spec and plan with an agent CLI", () => {
  it("run the CLI in an empty private directory, not in the user's checkout", async () => {
    await withTempDir(async (scratch) => {
      await withGitRepo(async (repo) => {
        await makeProject(repo);
        const marker = path.join(scratch, "repository-config-ran");
        await repo.commit("agent settings", {
          ".gemini/settings.json": hostileSettings(marker),
          ".claude/settings.json": hostileSettings(marker),
          ".sperc.json": JSON.stringify({ models: { spec: "gemini-cli", plan: "claude-code" } }),
        });
        await repo.write(".env", `${secret}\n`);
        const cli = await setupFakeCli(scratch, [
          { bin: "gemini", result: JSON.stringify(specAnswer) },
          {
            bin: "claude",
            result: JSON.stringify(planAnswer),
            structuredOutput: planAnswer,
            commands: ["pwd", "ls -A", "cat .env ../.env 2>&1 || true"],
          },
        ]);

        const ctx = () => testCommandContext(repo.dir, { env: cli.env });
        const specResult = await spec(ctx(), { request: "add a square function to src/calc.js" });
        // What the spec's CLI left in its directory (checked to be the private one first, so a
        // regression never writes into this project's checkout).
        const specDir = (await cli.log())[0]!.cwd;
        expect(path.dirname(specDir)).toBe(os.tmpdir());
        await fs.writeFile(path.join(specDir, "planted.txt"), "from the spec model\n");
        const planResult = await plan(ctx(), {});
        expect(planResult.planned?.steps).toBe(2);

        const [geminiRun, claudeRun] = await cli.log();
        for (const run of [geminiRun!, claudeRun!]) {
          const relative = path.relative(repo.dir, run.cwd);
          expect(relative.startsWith("..") || path.isAbsolute(relative), run.cwd).toBe(true);
          expect(path.dirname(run.cwd)).toBe(os.tmpdir());
          const stat = await fs.stat(run.cwd);
          expect(stat.mode & 0o777).toBe(0o700);
        }
        expect(geminiRun!.argv).toContain("--skip-trust");
        // The plan's CLI started in an empty directory: the spec model's file was cleared away.
        const [pwd, listing, cat] = claudeRun!.commands!;
        expect(pwd!.output.trim()).toBe(claudeRun!.cwd);
        expect(listing!.output).toBe("");
        expect(cat!.output).not.toContain("phase-cwd-canary");
        await expect(fs.access(marker)).rejects.toThrow();
        await expect(fs.access(path.join(repo.dir, "planted.txt"))).rejects.toThrow();
        expect(specResult.id).toBe(planResult.id);
      });
    });
  });

  it("a directory of that name that is not the user's own is never used", async () => {
    await withTempDir(async (scratch) => {
      await withGitRepo(async (repo) => {
        await makeProject(repo);
        await repo.commit("config", {
          ".sperc.json": JSON.stringify({ models: { spec: "gemini-cli" } }),
        });
        // Someone made it world-writable (or planted it): git spe makes a fresh one instead.
        const tmp = path.join(scratch, "tmp");
        await fs.mkdir(tmp);
        const squatted = path.join(tmp, `git-spe-agent-${process.getuid?.() ?? -1}`);
        await fs.mkdir(path.join(squatted, ".gemini"), { recursive: true });
        await fs.writeFile(path.join(squatted, ".gemini", "settings.json"), "{}");
        await fs.chmod(squatted, 0o777);
        const cli = await setupFakeCli(scratch, [
          { bin: "gemini", result: JSON.stringify(specAnswer) },
        ]);
        await spec(testCommandContext(repo.dir, { env: { ...cli.env, TMPDIR: tmp } }), {
          request: "add square",
        });
        const [run] = await cli.log();
        expect(path.dirname(run!.cwd)).toBe(tmp);
        expect(run!.cwd).not.toBe(squatted);
        expect(await fs.readdir(run!.cwd)).toEqual([]);
        expect(await fs.readdir(path.join(squatted, ".gemini"))).toEqual(["settings.json"]);
      });
    });
  });
});
