import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.ts";
import { parseCommandLine } from "../../src/cli/parse.ts";
import { SpeError } from "../../src/errors.ts";

function usageErrorOf(argv: string[]): SpeError {
  try {
    parseCommandLine(argv, commands);
  } catch (error) {
    if (error instanceof SpeError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("parseCommandLine", () => {
  it("takes global flags before and after the subcommand", () => {
    const parsed = parseCommandLine(["--json", "init", "-q", "--store", "notes"], commands);
    expect(parsed.command?.name).toBe("init");
    expect(parsed.globals).toMatchObject({ json: true, quiet: true, yes: false });
    expect(parsed.args.values.store).toBe("notes");
  });

  it("refuses an unknown option naming it and the command", () => {
    const error = usageErrorOf(["init", "--stor", "dir"]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("unknown option --stor for git spe init");
  });

  it("refuses a value outside the choices", () => {
    const error = usageErrorOf(["exec", "--merge", "rebase"]);
    expect(error.message).toBe(
      '--merge must be one of ff, merge, squash, none, not "rebase" (git spe exec)',
    );
  });

  it("converts integers and refuses non-numbers", () => {
    expect(parseCommandLine(["context", "--budget", "150_000"], commands).args.values.budget).toBe(
      150000,
    );
    expect(usageErrorOf(["context", "--budget", "lots"]).message).toMatch(
      /--budget needs a whole number/,
    );
  });

  it("lets --branch go without a value unless one follows", () => {
    const bare = parseCommandLine(["context", "--branch", "--stats"], commands);
    expect(bare.args.values.branch).toBe("");
    expect(bare.args.values.stats).toBe(true);
    expect(parseCommandLine(["context", "--branch"], commands).args.values.branch).toBe("");
    expect(parseCommandLine(["context", "--branch", "develop", "src"], commands).args).toEqual(
      expect.objectContaining({ positionals: ["src"] }),
    );
    expect(parseCommandLine(["context", "--branch=develop"], commands).args.values.branch).toBe(
      "develop",
    );
  });

  it("keeps paths after -- as positionals, even ones that look like options", () => {
    const parsed = parseCommandLine(["context", "--", "-leading-dash", "--all"], commands);
    expect(parsed.args.positionals).toEqual(["-leading-dash", "--all"]);
    expect(parsed.args.values.all).toBeUndefined();
  });

  it("checks positionals: missing, too many, choices", () => {
    expect(usageErrorOf(["abort"]).message).toBe("git spe abort needs ID");
    expect(usageErrorOf(["doctor", "extra"]).message).toBe(
      "too many arguments for git spe doctor: extra",
    );
    expect(usageErrorOf(["notes", "sync"]).message).toMatch(/ACTION must be one of push, pull/);
  });

  it("does not check positionals when help is asked for", () => {
    expect(parseCommandLine(["abort", "-h"], commands).globals.help).toBe(true);
  });

  it("suggests the closest command for a typo", () => {
    const error = usageErrorOf(["doctr"]);
    expect(error.message).toBe("'doctr' is not a git spe command");
    expect(error.hints).toEqual(["Did you mean: git spe doctor"]);
  });

  it("has no command when only global flags are given", () => {
    expect(parseCommandLine(["--version"], commands)).toMatchObject({
      command: undefined,
      globals: { version: true },
    });
  });
});
