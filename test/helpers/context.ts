/** Runs `git spe context` as a function against a test repository. */
import { context, type ContextCommandOptions } from "../../src/commands/context.ts";
import type { PackResult } from "../../src/context/pack.ts";
import { testCommandContext, type TestCommandContext } from "./command-context.ts";
import type { TestRepo } from "./git-repo.ts";

export type PackOptions = Partial<Omit<ContextCommandOptions, "selectors">> & {
  selectors?: ContextCommandOptions["selectors"];
};

export async function pack(
  repo: TestRepo,
  options: PackOptions = {},
  run: { cwd?: string; stdin?: string } = {},
): Promise<PackResult & { ctx: TestCommandContext }> {
  const ctx = testCommandContext(run.cwd ?? repo.dir, { stdin: run.stdin });
  const result = await context(ctx, { selectors: {}, format: "json", ...options });
  return { ...result, ctx };
}

export function paths(result: PackResult): string[] {
  return result.files.map((f) => f.path).sort();
}

export function skippedAs(result: PackResult, reason: string): string[] {
  return result.skipped
    .filter((s) => s.reason === reason)
    .map((s) => s.path)
    .sort();
}

/** Odd but legal paths: space, non-ASCII, newline, leading dash. */
export const oddPaths = [
  "dir with space/file name.txt",
  "ünïcödé/файл.md",
  "new\nline.txt",
  "-leading-dash.ts",
];
