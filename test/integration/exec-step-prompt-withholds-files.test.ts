/**
 * A plan can name any file of the repository, and the step prompt shows the step's files: the
 * same rules that keep files out of packed context keep their content out of the step prompt —
 * a file holding an AWS key pair, a file excluded by .speignore or context.exclude (also when
 * reached through a tracked symlink), a binary file, a file over context.maxFileBytes. The model
 * is told each exists and why it is not shown, on every attempt; the user gets one warning each.
 */
import fs from "node:fs/promises";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { anthropicEnv, goodSession, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

const accessKeyId = "AKIA4HTXQ7Z2KR5VLMNP";
const secretKey = "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";
const excludedText = "internal-only-notes-7f3a";

it("shows the step's ordinary files and withholds secret, excluded and binary ones", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", {
        ...projectFiles({ context: { exclude: ["notes/**"], maxFileBytes: 4096 } }),
        "data/big.txt": "x".repeat(5000),
        ".speignore": "private/\n",
        "config/aws.ini": `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretKey}\n`,
        "private/plan.txt": `${excludedText}\n`,
        "notes/todo.txt": `${excludedText}\n`,
      });
      await repo.write("assets/logo.bin", new Uint8Array([0x89, 0x50, 0x00, 0x01, 0x02]));
      await fs.mkdir(repo.path("docs"), { recursive: true });
      await fs.symlink("../private/plan.txt", repo.path("docs/link.txt"));
      await repo.git(["add", "assets/logo.bin", "docs/link.txt"]);
      await repo.git(["commit", "-qm", "logo"]);
      const step = {
        id: "S1",
        title: "Add square",
        description: "Add `square(x)` to src/math.js.",
        files: [
          { path: "src/math.js", action: "modify" },
          { path: "config/aws.ini", action: "modify" },
          { path: "private/plan.txt", action: "modify" },
          { path: "notes/todo.txt", action: "modify" },
          { path: "assets/logo.bin", action: "modify" },
          { path: "docs/link.txt", action: "modify" },
          { path: "data/big.txt", action: "modify" },
        ],
      };
      await seedSpec(repo, { title: "Add square", summary: "square(x).", steps: [step] });
      // The first attempt does nothing and fails validation; the repair attempt does the step.
      server.reply("anthropic", mockReply.text("Nothing to do."), ...goodSession.s1);

      const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
      const result = (await exec(ctx, {})) as ExecSummary;
      expect(result.status).toBe("merged");

      const bodies = server.requests.map((r) => JSON.stringify(r.body)).join("\n");
      const firstOfAttempt = server.requests
        .map((r) => JSON.stringify(r.body))
        .filter((b) => !b.includes('"tool_result"') && b.includes("# Your step: S1"));
      expect(firstOfAttempt.length).toBeGreaterThanOrEqual(2);
      expect(bodies).toContain("export function add(a, b)");
      expect(bodies).toContain(
        "## config/aws.ini (modify; not shown: it may hold a secret (@secretlint/secretlint-rule-aws, line 3))",
      );
      expect(bodies).toContain(
        "## private/plan.txt (modify; not shown: excluded by .speignore or context.exclude)",
      );
      expect(bodies).toContain(
        "## notes/todo.txt (modify; not shown: excluded by .speignore or context.exclude)",
      );
      expect(bodies).toContain("## assets/logo.bin (modify; not shown: binary)");
      expect(bodies).toContain(
        "## docs/link.txt (modify; not shown: excluded by .speignore or context.exclude)",
      );
      expect(bodies).toContain(
        "## data/big.txt (modify; not shown: 4.9 KB, over context.maxFileBytes)",
      );
      for (const body of firstOfAttempt)
        expect(body).toContain("config/aws.ini (modify; not shown");
      for (const leaked of [accessKeyId, secretKey, excludedText]) {
        expect(bodies).not.toContain(leaked);
      }
      const warnings = ctx.log.lines.filter((l) => l.level === "warn").map((l) => l.text);
      expect(warnings.filter((w) => w.includes("is not shown to the model"))).toEqual([
        "S1: config/aws.ini is not shown to the model: it may hold a secret (@secretlint/secretlint-rule-aws, line 3)",
        "S1: private/plan.txt is not shown to the model: excluded by .speignore or context.exclude",
        "S1: notes/todo.txt is not shown to the model: excluded by .speignore or context.exclude",
        "S1: assets/logo.bin is not shown to the model: binary",
        "S1: docs/link.txt is not shown to the model: excluded by .speignore or context.exclude",
        "S1: data/big.txt is not shown to the model: 4.9 KB, over context.maxFileBytes",
      ]);
      expect(JSON.stringify(ctx.log.lines)).not.toContain(secretKey);
    });
  });
});
