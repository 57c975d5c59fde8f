/**
 * Keys and secrets across the whole workflow. `git spe run --debug` goes from a request to a
 * merged change with dummy API keys in the environment (plus a GITHUB_TOKEN) and an AWS key pair
 * committed in the repository; the model dumps its command environment and the validators run.
 * Then every place anything could land is searched for the keys and the secret: what every
 * command printed, `.spe/`, every file under the common dir's `spe/` (run records, logs, caches,
 * validation records), every note, every commit message on every ref, every object in the object
 * database, and every byte the mock model server received. The keys may appear only in the auth
 * headers; the secret only in the user's own blob.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { bash, goodSession, projectFiles, twoStepPlan } from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { specAnswer } from "../helpers/phase-fixtures.ts";

const keys = {
  ANTHROPIC_API_KEY: "sk-ant-api03-SECRETWORKFLOWKEY-a1b2c3d4e5",
  GEMINI_API_KEY: "AIzaSyWORKFLOWKEY-f6e5d4c3b2a1x",
  GITHUB_TOKEN: "ghp_WORKFLOWTOKEN0123456789abcdefABCDEF",
};
const accessKeyId = "AKIA4HTXQ7Z2KR5VLMNP";
const secretKey = "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";
const needles = [...Object.values(keys), accessKeyId, secretKey];
const authHeaders = new Set(["authorization", "x-api-key", "x-goog-api-key"]);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Every needle found in `text`, with where. */
function leaks(where: string, text: string): string[] {
  return needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n.slice(0, 12)}…`);
}

async function cli(repo: TestRepo, env: NodeJS.ProcessEnv, args: string[]) {
  const result = await execa(process.execPath, [cliPath, ...args], {
    cwd: repo.dir,
    env,
    reject: false,
    stdin: "ignore",
  });
  return { ...result, text: `${result.stdout}\n${result.stderr}` };
}

describe("secrets across the whole workflow", () => {
  for (const store of ["dir", "notes"] as const) {
    it(`leaves no key and no secret anywhere (store: ${store})`, { timeout: 60_000 }, async () => {
      await withMockModelServer(async (server) => {
        await withGitRepo(async (repo) => {
          await repo.commit("project", {
            ...projectFiles({ store }),
            "config/aws credentials": `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretKey}\n`,
          });
          // An untracked .env, as most projects have one.
          await repo.write(".env", `AWS_SECRET_ACCESS_KEY=${secretKey}\n`);
          const secretBlob = await repo.git(["rev-parse", "HEAD:config/aws credentials"]);

          server.reply(
            "gemini",
            mockReply.text(JSON.stringify(specAnswer)),
            mockReply.text(JSON.stringify(twoStepPlan)),
          );
          server.reply(
            "anthropic",
            bash("env; printenv ANTHROPIC_API_KEY GEMINI_API_KEY GITHUB_TOKEN; echo done"),
            ...goodSession.s1,
            ...goodSession.s2,
          );
          const env = {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            ...keys,
            ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
            GOOGLE_GEMINI_BASE_URL: server.geminiBaseUrl,
          };

          const outputs: [string, string][] = [];
          const run = await cli(repo, env, ["run", "add a square function", "--yes", "--debug"]);
          outputs.push(["git spe run --debug", run.text]);
          expect(run.exitCode, run.stderr).toBe(0);
          expect(run.stderr).toContain("exec: merged into main");
          // The model's env dump came back to it: proof the search below looks at real traffic.
          const toolResults = server
            .requestsTo("anthropic", "messages")
            .map((r) => r.rawBody)
            .join("\n");
          expect(toolResults).toContain("PATH=");
          expect(toolResults).toContain("done");

          const id = (
            JSON.parse((await cli(repo, env, ["status", "--json"])).stdout) as {
              specs: { id: string }[];
            }
          ).specs[0]?.id as string;
          for (const args of [
            ["status", id, "--json"],
            ["show", id, "spec"],
            ["show", id, "plan"],
            ["show", id, "run"],
            ["drift", id],
            ["context", "--all", "--untracked", "--diff", "--log", "5"],
            ["context", "--format", "json", "--json"],
            ["doctor", "--debug"],
            ["validate", "--debug"],
          ]) {
            const result = await cli(repo, env, args);
            outputs.push([`git spe ${args.join(" ")}`, result.text]);
          }

          const found: string[] = [];
          for (const [where, text] of outputs) found.push(...leaks(where, text));
          const stored = [
            ...(await filesUnder(repo.path(".spe"))),
            ...(await filesUnder(repo.path(".git", "spe"))),
          ];
          // The search reached the run's records (an unreadable directory would list nothing).
          expect(stored.some((f) => f.includes(`${path.sep}runs${path.sep}`))).toBe(true);
          for (const file of stored) {
            found.push(...leaks(path.relative(repo.dir, file), await fs.readFile(file, "latin1")));
          }
          const notes = await repo.git(["notes", "--ref=spe", "list"]).catch(() => "");
          for (const line of notes.split("\n").filter(Boolean)) {
            const blob = line.split(" ")[0] as string;
            found.push(...leaks(`note ${blob}`, await repo.git(["cat-file", "-p", blob])));
          }
          if (store === "notes") expect(notes).not.toBe("");
          const messages = await repo.git(["log", "--all", "--format=%H%n%B"]);
          expect(messages).toContain("Spe-Step: S2");
          found.push(...leaks("commit messages", messages));
          // Every object in the database: the keys in none, the secret only in the user's blob.
          const all = await execa("git", ["cat-file", "--batch-all-objects", "--batch"], {
            cwd: repo.dir,
            encoding: "buffer",
          });
          const objects = Buffer.from(all.stdout).toString("latin1");
          for (const needle of Object.values(keys))
            if (objects.includes(needle)) found.push(`object database: ${needle.slice(0, 12)}…`);
          const withSecret = [...objects.matchAll(/^([0-9a-f]{40}) (\w+) \d+\n/gm)].filter(
            (m, i, arr) => {
              const start = (m.index ?? 0) + m[0].length;
              const end = arr[i + 1]?.index ?? objects.length;
              return objects.slice(start, end).includes(secretKey);
            },
          );
          expect(withSecret.map((m) => m[1])).toEqual([secretBlob]);

          for (const request of server.requests) {
            const where = `request ${request.method} ${request.path}`;
            found.push(...leaks(where, `${request.path}\n${request.rawBody}`));
            for (const [name, value] of Object.entries(request.headers))
              if (!authHeaders.has(name)) found.push(...leaks(`${where} header ${name}`, value));
          }
          expect(found).toEqual([]);
          // The keys did reach the APIs, in their auth headers.
          const anthropicAuth = server.requestsTo("anthropic", "messages")[0]?.headers;
          expect(
            `${anthropicAuth?.["x-api-key"] ?? ""}${anthropicAuth?.authorization ?? ""}`,
          ).toContain(keys.ANTHROPIC_API_KEY);
          expect(server.requestsTo("gemini")[0]?.headers["x-goog-api-key"]).toBe(
            keys.GEMINI_API_KEY,
          );
        });
      });
    });
  }
});
