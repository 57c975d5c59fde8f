/** The commands we print for the user to paste survive a POSIX shell unchanged, whatever they hold. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { shellQuote } from "../../src/util/shell-quote.ts";

const execFileP = promisify(execFile);

it("quotes every argument so sh hands it back as one unchanged word", async () => {
  const hostile = [
    "plain",
    "/tmp/with space/dir",
    "x/-y;\"q'$(touch${IFS}pwned)`touch${IFS}pwned2`",
    "it's",
    "-n",
    "",
    "tab\there",
    "new\nline",
    "*?[a]~",
    "émoji 🚀",
  ];
  const quoted = shellQuote(hostile);
  const { stdout } = await execFileP("sh", ["-c", `printf '%s\\0' ${quoted}`]);
  expect(stdout.split("\0").slice(0, -1)).toEqual(hostile);
});

it("leaves safe words bare, so the common hint reads naturally", () => {
  expect(shellQuote(["git", "reset", "--keep", "refs/spe/backup/20261121T080608-2f08"])).toBe(
    "git reset --keep refs/spe/backup/20261121T080608-2f08",
  );
  expect(shellQuote(["cd", "/tmp/a b"])).toBe("cd '/tmp/a b'");
});
