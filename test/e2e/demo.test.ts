/**
 * `npm run demo` (scripts/demo.mjs → dist/demo.js) end to end, as a new user runs it: the whole
 * workflow against the scripted model server, the merged change shown, the pre-push gate
 * refusing an unvalidated amend, and nothing left behind in the temporary directory.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { projectRoot, withTempDir } from "../helpers/git-repo.ts";

async function demo(args: string[], tmp: string) {
  const result = await execa(
    process.execPath,
    [path.join(projectRoot, "scripts", "demo.mjs"), ...args],
    {
      cwd: projectRoot,
      env: { ...process.env, TMPDIR: tmp, CI: "true", GIT_SPE_DEMO_NO_BUILD: "1", NO_COLOR: "1" },
      stdin: "ignore",
      reject: false,
      all: true,
    },
  );
  return { exitCode: result.exitCode, all: result.all ?? "" };
}

describe("npm run demo", () => {
  // The whole workflow (about 20 s alone): the e2e default of 60 s is too little when two other
  // test files run beside it on a 2-core machine.
  it(
    "runs spec, plan, exec, validation, merge, drift and the push gate, then removes its repository",
    {
      timeout: 150_000,
    },
    async () => {
      await withTempDir(async (tmp) => {
        const { exitCode, all } = await demo([], tmp);
        expect(exitCode, all).toBe(0);
        expect(all).toContain("Every model answer below is scripted");
        // The plan is shown for review, and every step is validated and committed.
        expect(all).toContain("## S3: Test and document");
        for (const step of ["S1", "S2", "S3"])
          expect(all).toMatch(
            new RegExp(`^${step} ".+": committed [0-9a-f]{12} \\(validated: npm test\\)$`, "m"),
          );
        // S3's first attempt fails validation and the repair passes.
        expect(all).toContain("S3: validation failed (attempt 1 of 3): npm test exited 1");
        expect(all).toMatch(/^exec: merged into main: [0-9a-f]{12} \(fast-forward\)$/m);
        expect(all).toMatch(/^exec: merged — claude-sonnet-5-5: .*\$\d+\.\d\d/m);
        expect(all).toMatch(/^Spe-Step: S3$/m);
        expect(all).toContain("S3: touched, not planned: src/slugify.js");
        // The merged code is the repaired one.
        expect(all).toContain(".replace(/[æøœßđłþ]/g, (c) => letters[c])");
        // The gate refuses the amended commit, then lets it through once validated.
        expect(all).toContain("git spe: push refused: 1 commit with a Spe-Spec trailer");
        expect(all).toMatch(/validated HEAD \([0-9a-f]{12}, tree [0-9a-f]{12}\): npm test passed/);
        expect(all).toMatch(/^pushed refs\/notes\/spe to origin/m);
        expect(all).toContain("ANTHROPIC_API_KEY");
        expect(all).toMatch(/^Finished in \d+\.\d s\.$/m);
        // No key is printed, and nothing is left in the temporary directory.
        expect(all).not.toContain("demo-not-a-real-key");
        const demoRepo = /^Demo repository: (.+)$/m.exec(all)?.[1];
        expect(demoRepo?.startsWith(tmp)).toBe(true);
        expect(await fs.readdir(tmp)).toEqual([]);
      });
    },
  );

  it("refuses an unknown argument with exit 2 and the usage, creating nothing", async () => {
    await withTempDir(async (tmp) => {
      const { exitCode, all } = await demo(["--frobnicate"], tmp);
      expect(exitCode).toBe(2);
      expect(all).toContain("error: unknown argument --frobnicate for the demo");
      expect(all).toContain("usage: npm run demo [-- --keep]");
      expect(await fs.readdir(tmp)).toEqual([]);
    });
  });
});
