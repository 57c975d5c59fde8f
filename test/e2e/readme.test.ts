/**
 * The README may only promise what the CLI has: every `git spe <command>` it shows is a command,
 * and every option it shows (with a command, in a command's table row, or bare) is in that
 * command's `-h` (or the global options), as the built CLI prints it.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { projectRoot, withTempDir } from "../helpers/git-repo.ts";

interface Mention {
  command: string | undefined;
  options: string[];
  where: string;
}

const optionPattern = /(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/g;
const commandPattern = /\bgit spe ([a-z][a-z-]*)/;
/** Spans about other programs (git merge-tree --write-tree, npm run demo -- --keep, …). */
const otherProgram = /^(\$ )?(git (?!spe\b)|npm |npx |node |SPE=0 git |man )/;

function optionsIn(text: string): string[] {
  return [...text.matchAll(optionPattern)].map((m) => m[1] as string);
}

function mentions(readme: string): Mention[] {
  const found: Mention[] = [];
  let fence: string | undefined;
  readme.split("\n").forEach((line, i) => {
    const where = `README.md:${i + 1}`;
    if (line.startsWith("```")) {
      fence = fence === undefined ? line.slice(3) : undefined;
      return;
    }
    if (fence !== undefined) {
      if (!["sh", "console"].includes(fence)) return;
      const shown = line.replace(/#.*$/, "");
      const command = commandPattern.exec(shown)?.[1];
      if (command)
        found.push({ command, options: optionsIn(shown.slice(shown.indexOf("git spe"))), where });
      return;
    }
    const spans = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    if (line.startsWith("|")) {
      const firstCell = line.split(/(?<!\\)\|/)[1] ?? "";
      const command = commandPattern.exec(firstCell)?.[1];
      if (command) {
        found.push({ command, options: optionsIn(firstCell), where });
        return;
      }
    }
    for (const span of spans) {
      const command = commandPattern.exec(span)?.[1];
      if (command)
        found.push({ command, options: optionsIn(span.slice(span.indexOf("git spe"))), where });
      else if (!otherProgram.test(span) && /^(--|-[a-zA-Z]\b)/.test(span))
        found.push({ command: undefined, options: optionsIn(span), where });
    }
  });
  return found;
}

describe("the README", () => {
  it("shows only commands and options that --help lists", { timeout: 60_000 }, async () => {
    const readme = await fs.readFile(path.join(projectRoot, "README.md"), "utf8");
    const found = mentions(readme);
    await withTempDir(async (dir) => {
      const main = await runCli(["--help"], { cwd: dir });
      const names = [...main.stdout.matchAll(/^ {2}([a-z]+) {2}/gm)].map((m) => m[1] as string);
      expect(names.length).toBeGreaterThan(10);
      const help = new Map<string, string>();
      for (const name of names) help.set(name, (await runCli([name, "-h"], { cwd: dir })).stdout);
      const allHelp = [...help.values()].join("\n");
      const problems: string[] = [];
      for (const { command, options, where } of found) {
        if (command !== undefined && !help.has(command)) {
          problems.push(`${where}: git spe ${command} is not a command`);
          continue;
        }
        const text = command === undefined ? allHelp : (help.get(command) as string);
        for (const option of options) {
          const listed = option.startsWith("--")
            ? new RegExp(`(^|\\s)${option}(\\s|=|\\[|$)`, "m").test(text)
            : new RegExp(`(^|\\s)${option},`, "m").test(text);
          if (!listed)
            problems.push(`${where}: ${option} is not in git spe ${command ?? "<any command>"} -h`);
        }
      }
      expect(problems).toEqual([]);
      // The check has something to check: the table and the prose name many commands and options.
      expect(new Set(found.map((m) => m.command)).size).toBeGreaterThanOrEqual(names.length);
      expect(found.flatMap((m) => m.options).length).toBeGreaterThan(30);
    });
  });

  it("starts with exactly the two commands a fresh clone needs", async () => {
    const readme = await fs.readFile(path.join(projectRoot, "README.md"), "utf8");
    const block = /```sh\n([^]*?)```/.exec(readme)?.[1] ?? "";
    expect(
      block
        .split("\n")
        .filter(Boolean)
        .map((l) => l.replace(/\s+#.*$/, "").trim()),
    ).toEqual(["npm ci && npm run demo", "npm test"]);
    expect(readme.indexOf(block)).toBeLessThan(400);
  });
});
