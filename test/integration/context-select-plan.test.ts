import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { pack, paths, skippedAs } from "../helpers/context.ts";
import { projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --plan", () => {
  it("selects the files the plan names; a file the plan creates is listed as missing, not read", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      const id = await seedSpec(repo);
      const result = await pack(repo, { plan: id.slice(0, 12) });
      expect(paths(result)).toEqual(["src/math.js"]);
      expect(skippedAs(result, "deleted")).toEqual(["docs/math.md"]);
      const union = await pack(repo, { plan: id, selectors: { pathspecs: ["package.json"] } });
      expect(paths(union)).toEqual(["package.json", "src/math.js"]);
    });
  });

  it("refuses --plan with exit 2 when there is no spec, or no spec matches", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      const none = await pack(repo, { plan: "nope" }).catch((e: unknown) => e);
      expect(none).toBeInstanceOf(SpeError);
      expect((none as SpeError).exitCode).toBe(2);
      expect((none as SpeError).message).toContain("no spec yet");
      await seedSpec(repo);
      const unknown = await pack(repo, { plan: "20991231" }).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(SpeError);
      expect((unknown as SpeError).exitCode).toBe(2);
      expect((unknown as SpeError).message).toContain("20991231");
    });
  });
});
