/**
 * providers.<cli>.timeoutSec bounds an agent CLI run: past it the whole process group is
 * stopped and the call fails with a ProviderError saying so.
 */
import { expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { ProviderError } from "../../src/errors.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withTempDir } from "../helpers/git-repo.ts";

it("stops a claude run that outlives its timeout", async () => {
  await withTempDir(async (dir) => {
    const cli = await setupFakeCli(dir, [{ bin: "claude", delayMs: 20_000, grandchild: true }]);
    const config = configSchema.parse({ providers: { "claude-code": { timeoutSec: 1 } } });
    const provider = await createProvider("claude-code", config, cli.env, { cwd: dir });
    const error = await provider.call({ system: "", prompt: "slow" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe(
      "claude-code: no answer within 1 s; the agent was stopped",
    );
    const [run] = await cli.log();
    // The fake CLI started a grandchild (a stand-in for the agent's tools): it must be gone.
    expect(run?.grandchildPid).toBeGreaterThan(0);
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      try {
        process.kill(run!.grandchildPid!, 0);
        await new Promise((r) => setTimeout(r, 30));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });
});
