import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.ts";
import { globalOptions } from "../../src/cli/global-options.ts";
import { renderManPage, roff } from "../../src/cli/man.ts";

describe("the man page", () => {
  const page = renderManPage(commands, "9.9.9");

  it("documents every command and every option of the command table", () => {
    expect(page).toMatch(/^\.TH GIT\\-SPE 1 "" "git-spe 9\.9\.9" "Git Manual"$/m);
    for (const command of commands) {
      expect(page).toContain(`.SS git spe ${command.name}\n`);
      expect(page).toContain(roff(command.summary));
      for (const option of command.options) {
        const item = `.TP\n\\fB${option.short ? roff(`-${option.short}, `) : ""}${roff(`--${option.name}`)}`;
        expect(page, `${command.name} --${option.name}`).toContain(item);
      }
    }
    for (const option of globalOptions) expect(page).toContain(roff(`--${option.name}`));
  });

  it("escapes roff: backslashes, hyphens, and lines that would read as requests", () => {
    expect(roff("a\\b --x\n.not a request\n'nor this")).toBe(
      "a\\eb \\-\\-x\n\\&.not a request\n\\&'nor this",
    );
    // No line of the page starts a request by accident: every "." line is a known macro.
    const requests = page
      .split("\n")
      .filter((l) => l.startsWith("."))
      .map((l) => l.split(" ")[0]);
    expect(new Set(requests)).toEqual(
      new Set([".TH", ".SH", ".SS", ".nf", ".fi", ".PP", ".RS", ".RE", ".TP"]),
    );
  });
});
