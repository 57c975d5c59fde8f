import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.ts";
import { configSchema } from "../../src/config/schema.ts";
import { validateConfig } from "../../src/config/validate.ts";
import { definePlugin } from "../../src/plugins/types.ts";

function problems(input: unknown): string[] {
  const result = validateConfig(input);
  if (result.ok) throw new Error("expected the config to be invalid");
  return result.problems;
}

describe("validateConfig", () => {
  it("makes of an empty config exactly the defaults used when there is no config file", () => {
    expect(configSchema.parse({})).toStrictEqual(defaultConfig());
    const result = validateConfig({});
    expect(result.ok && result.config).toStrictEqual(defaultConfig());
    expect(defaultConfig().plugins).not.toBe(defaultConfig().plugins);
  });

  it("fills every default from an empty config", () => {
    const result = validateConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.store).toBe("dir");
    expect(result.config.models).toEqual({
      spec: "google:gemini-2.5-pro",
      plan: "google:gemini-2.5-pro",
      exec: "anthropic:claude-sonnet-5-5",
    });
    expect(result.config.context.budget).toEqual({ spec: 900_000, plan: 900_000, exec: 150_000 });
    expect(result.config.exec).toEqual({
      merge: "ff",
      maxRepairs: 2,
      parallel: 1,
      commandTimeoutSec: 600,
      worktree: { deps: "link" },
      protect: [],
      sandbox: {
        writable: [],
        read: [],
        env: [],
        network: {
          bash: [],
          validate: [],
          bootstrap: [
            "registry.npmjs.org",
            "registry.yarnpkg.com",
            "pypi.org",
            "files.pythonhosted.org",
          ],
          agent: [],
        },
      },
    });
    expect(result.config.hooks.prePush).toEqual({
      requireValidated: true,
      runValidators: false,
      pushNotes: true,
    });
  });

  it("keeps partial nested values and defaults the rest", () => {
    const result = validateConfig({
      context: { budget: { exec: 1000 } },
      models: { exec: "claude-code" },
    });
    expect(result.ok && result.config.context.budget).toEqual({
      spec: 900_000,
      plan: 900_000,
      exec: 1000,
    });
    expect(result.ok && result.config.models.exec).toBe("claude-code");
  });

  it("lets an agent CLI have a timeout and nothing else", () => {
    expect(validateConfig({ providers: { "claude-code": { timeoutSec: 300 } } }).ok).toBe(true);
    expect(
      problems({ providers: { "gemini-cli": { timeoutSec: 60, baseUrl: "http://x.test" } } }),
    ).toEqual([
      "providers.gemini-cli: an agent CLI takes only timeoutSec (not baseUrl); it reads its own key and base URL from its environment",
    ]);
  });

  it("reports a wrong store with its path", () => {
    expect(problems({ store: 42 })).toEqual([
      'store: Invalid option: expected one of "dir"|"notes"',
    ]);
  });

  it("reports an unknown model provider with the known ones", () => {
    expect(problems({ models: { spec: "foo:bar" } })).toEqual([
      'models.spec: unknown provider "foo" (known: anthropic, google, openai, claude-code, gemini-cli)',
    ]);
  });

  it("reports every problem at once, schema and rules together, each with its path", () => {
    const list = problems({
      store: 42,
      models: { plan: "foo:x", exec: "openai", typo: "x" },
      validate: ["npm test", 3],
      context: { maxFileBytes: -5 },
      providers: { anthropic: { baseUrl: "not a url" }, nosuch: {} },
    });
    expect(list.map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining([
        "store",
        "models.typo",
        "validate[1]",
        "context.maxFileBytes",
        "providers.anthropic.baseUrl",
        "models.plan",
        "models.exec",
        "providers.nosuch",
      ]),
    );
    expect(list).toHaveLength(8);
  });

  it("rejects a key written into the config and says where keys come from", () => {
    const [problem] = problems({ providers: { anthropic: { apiKey: "sk-ant-not-here" } } });
    expect(problem).toMatch(
      /^providers\.anthropic: unrecognized key "apiKey": keys are only read from the environment/,
    );
    expect(problem).not.toContain("sk-ant-not-here");
  });

  it("accepts a provider that a plugin registers", () => {
    const mine = {
      provider: "mine",
      model: "model-a",
      call: () => Promise.reject(new Error("unused")),
    };
    const plugin = definePlugin({ name: "local", providers: { mine: () => mine } });
    expect(validateConfig({ models: { exec: "mine:model-a" }, plugins: [plugin] }).ok).toBe(true);
    expect(problems({ models: { exec: "mine:model-a" } })[0]).toMatch(/unknown provider "mine"/);
  });

  it("rejects a plugin that is not a plugin object", () => {
    expect(problems({ plugins: ["node"] })).toEqual([
      "plugins[0]: must be a plugin object made with definePlugin({ name, … })",
    ]);
  });

  it("rejects a malformed model reference", () => {
    expect(problems({ models: { spec: "Gemini Pro" } })[0]).toMatch(
      /^models\.spec: "Gemini Pro" is not a model reference/,
    );
    expect(problems({ models: { spec: "google:" } })[0]).toMatch(/names no model/);
  });
});
