/**
 * A realistic AWS key pair in the repository: the file is kept out and its secret appears in
 * no output format, in no summary, in no diff, and never in what the CLI prints.
 */
import { describe, expect, it } from "vitest";
import { runContextCommand } from "../../src/commands/context.ts";
import { pack, paths } from "../helpers/context.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

const accessKeyId = "AKIA4HTXQ7Z2KR5VLMNP";
const secretKey = "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";
const credentials = `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretKey}\nregion = eu-west-1\n`;

describe("context: the secret scan", () => {
  it("keeps a file with an AWS key pair out of every format and names only the file and rule", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("creds", {
        "config/aws credentials": credentials,
        "src/app.ts": "export const region = 'eu-west-1';\n",
      });
      for (const format of ["xml", "markdown", "json"] as const) {
        const result = await pack(repo, { format, stats: true });
        expect(paths(result)).toEqual(["README.md", "src/app.ts"]);
        expect(result.skipped).toContainEqual({
          path: "config/aws credentials",
          reason: "secret",
          detail: expect.stringMatching(/^aws \(AWSSecretAccessKey\) at line 3$/),
        });
        expect(result.output).not.toContain(secretKey);
        expect(result.output).not.toContain(accessKeyId);
      }
    });
  });

  it("prints neither key nor secret on stdout or stderr, and keeps them out of the cache", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("creds", {
        ".env": `AWS_ACCESS_KEY_ID=${accessKeyId}\nAWS_SECRET_ACCESS_KEY=${secretKey}\n`,
      });
      const ctx = testCommandContext(repo.dir);
      await runContextCommand(ctx, { selectors: {}, stats: true, format: "xml" });
      const printed = ctx.stdoutText() + JSON.stringify(ctx.log.lines);
      expect(printed).toContain(
        ".env kept out: possible secret (aws (AWSSecretAccessKey) at line 2)",
      );
      expect(printed).not.toContain(secretKey);
      expect(printed).not.toContain(accessKeyId);
      const cache = await repo.read(".git/spe/cache/context.json");
      expect(cache).not.toContain(secretKey);
      expect(cache).not.toContain(accessKeyId);
    });
  });

  it("withholds a diff that removes a secret, though the file itself is now clean", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("leak", {
        "settings.ini": `key_id=${accessKeyId}\naws_secret_access_key=${secretKey}\n`,
      });
      await repo.write("settings.ini", "key_id=\naws_secret_access_key=\n");
      const result = await pack(repo, { selectors: { modified: true }, diff: true, format: "xml" });
      expect(paths(result)).toEqual(["settings.ini"]);
      expect(result.output).not.toContain(secretKey);
      expect(result.skipped).toContainEqual(
        expect.objectContaining({
          path: "settings.ini",
          reason: "secret",
          detail: expect.stringMatching(/^in its diff: aws/),
        }),
      );
    });
  });

  it("does not let a secretlint-disable directive in one file hide a secret in another", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", {
        "a-disabled.md": "<!-- secretlint-disable -->\nnothing here\n",
        "b.env": `AWS_SECRET_ACCESS_KEY=${secretKey}\n`,
      });
      const result = await pack(repo);
      expect(paths(result)).toEqual(["README.md", "a-disabled.md"]);
      expect(result.output).not.toContain(secretKey);
    });
  });
});
