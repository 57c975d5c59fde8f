/** `git spe doctor` lists the active plugins in run order, with what each adds. */
import { describe, expect, it } from "vitest";
import { doctor } from "../../src/commands/doctor.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { fixture, speConfigTs } from "../helpers/plugin-config.ts";

describe("doctor: plugins", () => {
  it("shows the default node plugin, then the config's plugins with their parts", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("config", {
        ".spe.config.ts": speConfigTs({
          imports: { [fixture("probe-plugin.ts")]: ["probe"] },
          plugins: ["probe()"],
        }),
      });
      const report = await doctor(testCommandContext(repo.dir));
      expect(report.plugins.map((p) => [p.name, p.origin])).toEqual([
        ["node", "default"],
        ["probe", "plugins[0]"],
      ]);
      const probe = report.plugins[1];
      expect(probe?.validators).toEqual(["marker"]);
      expect(probe?.selectors).toEqual(["todo"]);
      expect(probe?.hooks).toContain("step:after");
      const line = report.checks.find((c) => c.text.startsWith("plugins: "))?.text ?? "";
      expect(line).toMatch(
        /^plugins: node \(default; hooks: worktree:ready\), probe \(plugins\[0\]; validators: marker; selectors: todo; hooks: spec:before, /,
      );
    });
  });

  it("lists no plugins for an invalid config, instead of failing", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("config", { ".sperc.json": '{"store": "nowhere"}' });
      const report = await doctor(testCommandContext(repo.dir));
      expect(report.exitCode).toBe(2);
      expect(report.plugins).toEqual([]);
    });
  });
});
