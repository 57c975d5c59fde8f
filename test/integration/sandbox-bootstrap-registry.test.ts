/**
 * The dependency bootstrap in the sandbox reaches the hosts `exec.sandbox.network.bootstrap`
 * allows, through the sandbox's proxy, and nothing else: `npm ci` installs from a registry
 * stand-in on 127.0.0.1 when that host is allowed; with only the public registries allowed the
 * same install is refused by the proxy, the run stops before any step, and says why.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  oneStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";
import { startRegistryStandIn, type RegistryStandIn } from "../helpers/registry-stand-in.ts";

let registry: RegistryStandIn;
beforeEach(async () => {
  registry = await startRegistryStandIn();
});
afterEach(() => registry.close());

async function projectNeedingTiny(repo: TestRepo, bootstrapHosts: string[]): Promise<void> {
  const files = projectFiles({
    exec: {
      worktree: { deps: "install" },
      maxRepairs: 0,
      sandbox: { network: { bootstrap: bootstrapHosts } },
    },
  });
  const pkg = JSON.parse(files["package.json"] as string);
  pkg.dependencies = { tiny: "1.0.0" };
  await repo.commit("project", {
    ...files,
    "package.json": `${JSON.stringify(pkg, null, 2)}\n`,
    "package-lock.json": registry.lockfile("math"),
    ".npmrc": `registry=${registry.url}/\naudit=false\nfund=false\nupdate-notifier=false\n`,
    ".gitignore": "node_modules/\n",
    "test/tiny.test.js":
      'import test from "node:test";\nimport assert from "node:assert/strict";\nimport { createRequire } from "node:module";\n' +
      'test("tiny is installed", () => assert.equal(createRequire(import.meta.url)("tiny"), 42));\n',
  });
}

describe("the bootstrap's network in the sandbox", () => {
  it("installs from an allowed registry through the proxy", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await projectNeedingTiny(repo, [registry.host]);
        await seedSpec(repo, oneStepPlan);
        server.reply("anthropic", ...goodSession.s1);
        const env = { ...process.env, ...anthropicEnv(server.anthropicBaseUrl) };
        const result = (await exec(testCommandContext(repo.dir, { env }), {})) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(registry.hits).toContain("GET /tiny/-/tiny-1.0.0.tgz");
      });
    });
  });

  it("refuses a registry that is not allowed, naming it, before any step runs", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await projectNeedingTiny(repo, ["registry.npmjs.org"]);
        await seedSpec(repo, oneStepPlan);
        server.reply("anthropic", ...goodSession.s1);
        const env = { ...process.env, ...anthropicEnv(server.anthropicBaseUrl) };
        const error = (await exec(testCommandContext(repo.dir, { env }), {}).catch(
          (e: unknown) => e,
        )) as Error;
        expect(error.message).toContain("npm ci --no-audit --no-fund failed");
        expect(error.message).toContain(
          `[sandbox: network access denied to ${registry.host}; allow a host in exec.sandbox.network.bootstrap]`,
        );
        expect(registry.hits).toEqual([]);
        expect(server.requestsTo("anthropic")).toHaveLength(0);
      });
    });
  });
});
