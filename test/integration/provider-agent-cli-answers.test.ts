/**
 * Agent CLIs as providers: the fake `claude` and `gemini` on PATH get the real flags, run in
 * the call's cwd (the worktree when executing) with the context on stdin, and their result,
 * usage and cost are read from the real output formats.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withTempDir } from "../helpers/git-repo.ts";

describe("claude-code", () => {
  it("runs claude -p with stream-json, in the call's cwd, and reads result, usage and cost", async () => {
    await withTempDir(async (dir) => {
      const worktree = path.join(dir, "worktree");
      await fs.mkdir(worktree);
      const cli = await setupFakeCli(dir, [
        {
          bin: "claude",
          result: "Implemented step S1.",
          files: { "src/flag.ts": "export const dryRun = true;\n" },
          usage: { input: 1200, output: 340, cacheRead: 50_000, cacheWrite: 2000 },
          costUsd: 0.0871,
          numTurns: 4,
        },
      ]);
      const provider = await createProvider(
        "claude-code:claude-opus-5-5",
        configSchema.parse({}),
        cli.env,
        {
          cwd: dir,
          agent: {
            permissionMode: "acceptEdits",
            allowedTools: ["Read", "Edit", "Bash(npm test)"],
            maxTurns: 30,
          },
        },
      );
      const texts: string[] = [];
      const result = await provider.call({
        system: "You implement one plan step.",
        context: "<files>…</files>",
        prompt: "Implement S1.",
        cwd: worktree,
        onText: (t) => texts.push(t),
      });

      expect(result).toMatchObject({
        text: "Implemented step S1.",
        provider: "claude-code",
        model: "claude-opus-5-5",
        costUsd: 0.0871,
        stopReason: "end_turn",
        usage: {
          inputTokens: 1200,
          outputTokens: 340,
          cacheReadTokens: 50_000,
          cacheWriteTokens: 2000,
        },
      });
      expect(texts).toEqual(["Implemented step S1."]);
      expect(await fs.readFile(path.join(worktree, "src/flag.ts"), "utf8")).toBe(
        "export const dryRun = true;\n",
      );

      const [run] = await cli.log();
      expect(run).toMatchObject({
        bin: "claude",
        cwd: worktree,
        prompt: "Implement S1.",
        stdin: "<files>…</files>",
        model: "claude-opus-5-5",
        systemPrompt: "You implement one plan step.",
        permissionMode: "acceptEdits",
        allowedTools: ["Read,Edit,Bash(npm test)"],
        maxTurns: 30,
      });
      expect(run!.argv.slice(0, 5)).toEqual([
        "-p",
        "Implement S1.",
        "--output-format",
        "stream-json",
        "--verbose",
      ]);
    });
  });

  it("passes a JSON schema with --json-schema and returns structured_output", async () => {
    await withTempDir(async (dir) => {
      const plan = { title: "T", steps: [] };
      const cli = await setupFakeCli(dir, [{ bin: "claude", result: "", structuredOutput: plan }]);
      const provider = await createProvider("claude-code", configSchema.parse({}), cli.env, {
        cwd: dir,
      });
      const schema = { type: "object", properties: { title: { type: "string" } } };
      const result = await provider.call({
        system: "",
        prompt: "Plan.",
        jsonSchema: { name: "plan", schema },
      });
      expect(result.json).toEqual(plan);
      expect((await cli.log())[0]!.jsonSchema).toEqual(schema);
    });
  });
});

describe("gemini-cli", () => {
  it("runs gemini -p -o json -m MODEL and prices the per-model stats", async () => {
    await withTempDir(async (dir) => {
      const cli = await setupFakeCli(dir, [
        {
          bin: "gemini",
          result: "The spec is ready.",
          usage: { input: 3000, cacheRead: 7000, output: 400, thoughts: 100 },
        },
      ]);
      const provider = await createProvider(
        "gemini-cli:gemini-2.5-pro",
        configSchema.parse({}),
        cli.env,
        { cwd: dir },
      );
      const result = await provider.call({
        system: "You write specs.",
        context: "<files/>",
        prompt: "Write it.",
      });

      expect(result).toMatchObject({
        text: "The spec is ready.",
        provider: "gemini-cli",
        model: "gemini-2.5-pro",
        usage: { inputTokens: 3000, outputTokens: 500, cacheReadTokens: 7000, cacheWriteTokens: 0 },
      });
      expect(result.costUsd).toBeCloseTo((3000 * 1.25 + 500 * 10 + 7000 * 0.125) / 1e6, 12);
      const [run] = await cli.log();
      expect(run).toMatchObject({
        bin: "gemini",
        cwd: dir,
        prompt: "Write it.",
        stdin: "You write specs.\n\n<files/>",
      });
      // --skip-trust: headless 0.61 refuses an untrusted folder (the fake does too).
      expect(run!.argv).toEqual([
        "-p",
        "Write it.",
        "-o",
        "json",
        "--skip-trust",
        "-m",
        "gemini-2.5-pro",
      ]);
    });
  });

  it("asks for JSON in the prompt and accepts a fenced answer", async () => {
    await withTempDir(async (dir) => {
      const cli = await setupFakeCli(dir, [
        { bin: "gemini", result: '```json\n{"goal":"x"}\n```' },
      ]);
      const provider = await createProvider("gemini-cli", configSchema.parse({}), cli.env, {
        cwd: dir,
      });
      const schema = { type: "object", properties: { goal: { type: "string" } } };
      const result = await provider.call({
        system: "",
        prompt: "Spec.",
        jsonSchema: { name: "spec", schema },
      });
      expect(result.json).toEqual({ goal: "x" });
      expect((await cli.log())[0]!.prompt).toContain(JSON.stringify(schema));
    });
  });
});
