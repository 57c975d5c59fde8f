/**
 * What a plugin author's own test looks like: only "git-spe" and "git-spe/testing". The harness
 * calls the plugin as git spe does — the same services (git in the directory, shell commands
 * without API keys and with a timeout, a prefixed logger), frozen events, a validator's time
 * limit, a thrown error turned into a failure — and records what the plugin logged.
 */
import { describe, expect, it } from "vitest";
import { definePlugin } from "git-spe";
import { testPlugin } from "git-spe/testing";
import { withGitRepo } from "../helpers/git-repo.ts";

/** The plugin under test: a changelog rule, a "changed files" selector, and a step:after note. */
const changelog = definePlugin({
  name: "changelog",
  contextProviders: {
    changed: async ({ git, argument }) =>
      (await git(["diff", "--name-only", argument ?? "HEAD"])).split("\n").filter(Boolean),
    outside: () => ["../elsewhere.txt"],
  },
  validators: {
    entry: async ({ git }) => {
      const changed = (await git(["diff", "--name-only", "HEAD"])).split("\n");
      if (!changed.some((f) => f.startsWith("src/")) || changed.includes("CHANGELOG.md"))
        return { ok: true };
      return { ok: false, output: "src/ changed without a CHANGELOG.md entry" };
    },
    slow: async ({ exec }) => {
      const run = await exec("sleep 30");
      return { ok: run.ok, output: run.output };
    },
    broken: () => {
      throw new Error("cannot parse CHANGELOG.md");
    },
  },
  hooks: {
    "step:after": ({ event, log }) => log.info(`${event.step.id} committed as ${event.commit}`),
    "plan:after": ({ event }) => {
      (event.plan as { title: string }).title = "changed";
    },
  },
});

describe("git-spe/testing", () => {
  it("runs a plugin's validators, selectors and hooks as git spe would", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("src", { "src/a.js": "1\n", "CHANGELOG.md": "# log\n" });
      const t = testPlugin(changelog, {
        cwd: repo.dir,
        config: { exec: { commandTimeoutSec: 1 } },
        env: { ...process.env, ANTHROPIC_API_KEY: "sk-ant-not-for-commands" },
      });

      expect(await t.validate("entry")).toEqual({ ok: true, output: "", timedOut: false });
      await repo.write("src/a.js", "2\n");
      expect(await t.validate("entry")).toEqual({
        ok: false,
        output: "src/ changed without a CHANGELOG.md entry",
        timedOut: false,
      });
      expect(await t.select("changed")).toEqual(["src/a.js"]);
      await expect(t.select("outside")).rejects.toThrow(
        'plugin "changelog" failed in selector "outside": "../elsewhere.txt" is not a path inside the work tree',
      );

      // A validator that outlives exec.commandTimeoutSec fails as timed out; one that throws fails.
      const started = Date.now();
      expect(await t.validate("slow")).toMatchObject({ ok: false, timedOut: true });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await t.validate("broken")).toEqual({
        ok: false,
        output: "the validator threw: cannot parse CHANGELOG.md",
        timedOut: false,
      });

      const step = { id: "S1", title: "t", description: "d", files: [] };
      const run = { specId: "x", runId: "r", branch: "spe/x", worktree: repo.dir, base: "b" };
      await t.runHook("step:after", {
        ...run,
        step,
        index: 0,
        total: 1,
        commit: "abc123",
        touched: [],
        validation: { passed: true, runs: [] },
        attempts: 1,
      });
      expect(t.messages("info")).toEqual(["S1 committed as abc123"]);
      expect(t.logs).toContainEqual({ level: "info", text: "changelog: S1 committed as abc123" });
      // Events are frozen: a hook cannot change what git spe holds.
      await expect(
        t.runHook("plan:after", {
          id: "x",
          base: "b",
          location: ".spe/x",
          plan: { title: "p", summary: "s", steps: [step] },
        }),
      ).rejects.toThrow(/^plugin "changelog" failed in hook "plan:after": Cannot assign/);

      // The services: git in cwd, shell commands without API keys.
      const services = t.services();
      expect(await services.git(["rev-parse", "--show-toplevel"])).toBe(repo.dir);
      const env = await services.exec(["sh", "-c", 'echo "key=${ANTHROPIC_API_KEY:-none}"']);
      expect(env).toMatchObject({ ok: true, exitCode: 0, output: "key=none\n" });
    });
  });

  it("refuses a malformed plugin with the problems git spe would report", async () => {
    await withGitRepo(async (repo) => {
      const bad = { name: "bad", hooks: { "step:later": () => undefined } };
      expect(() => testPlugin(bad as never, { cwd: repo.dir })).toThrow(
        /plugins\[0\]\.hooks\.step:later: unknown hook/,
      );
    });
  });
});
