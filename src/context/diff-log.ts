/**
 * `--diff` and `--log`. The diff covers only files that made it into the pack, and is
 * secret-scanned per file: removed lines can hold a secret the current file no longer has.
 */
import type { Git } from "../git/exec.ts";
import { splitNul } from "../git/parse-z.ts";
import { resolveHead } from "../git/files.ts";
import { describeFindings } from "./secrets-version.ts";
import type { SkippedFile } from "./types.ts";

export interface DiffSets {
  staged?: boolean;
  modified?: boolean;
  /** The merge-base commit for --branch. */
  branchFrom?: string;
}

const diffFlags = ["--no-color", "--no-ext-diff", "--no-textconv", "-M", "--no-relative"];

async function diffFor(
  git: Git,
  revArgs: string[],
  included: ReadonlySet<string>,
): Promise<string> {
  const { stdout } = await git.run(["diff", ...diffFlags, "--name-only", "-z", ...revArgs]);
  const paths = splitNul(stdout).filter((p) => included.has(p));
  let out = "";
  // Literal pathspecs, in chunks that stay far below the argument-length limit.
  for (let i = 0; i < paths.length; i += 200) {
    const chunk = paths.slice(i, i + 200);
    out += (
      await git.run(
        ["--literal-pathspecs", "-c", "core.quotePath=false", "diff", ...diffFlags, ...revArgs],
        { paths: chunk },
      )
    ).stdout;
  }
  return out;
}

export async function collectDiff(
  git: Git,
  sets: DiffSets,
  included: ReadonlySet<string>,
): Promise<{ text: string; withheld: SkippedFile[] }> {
  const sections: string[] = [];
  const head = await resolveHead(git);
  if (sets.staged) sections.push(await diffFor(git, ["--cached"], included));
  if (sets.modified) sections.push(await diffFor(git, [], included));
  if (sets.branchFrom)
    sections.push(await diffFor(git, ["--end-of-options", sets.branchFrom], included));
  if (!sets.staged && !sets.modified && !sets.branchFrom && head)
    sections.push(await diffFor(git, ["HEAD"], included));

  const chunks = sections
    .join("")
    .split(/^(?=diff --git )/m)
    .filter((c) => c !== "");
  const { scanSecrets } = await import("./secrets.ts");
  const findings = await scanSecrets(chunks.map((text, i) => ({ key: String(i), text })));
  const withheld: SkippedFile[] = [];
  const kept = chunks.filter((chunk, i) => {
    const found = findings.get(String(i)) ?? [];
    if (found.length === 0) return true;
    const header = /^diff --git a\/(.*) b\//.exec(chunk)?.[1] ?? "(diff)";
    withheld.push({
      path: header,
      reason: "secret",
      detail: `in its diff: ${describeFindings(found)}`,
    });
    return false;
  });
  return { text: kept.join("").replace(/\n$/, ""), withheld };
}

export async function collectLog(git: Git, count: number): Promise<string> {
  if (count <= 0 || !(await resolveHead(git))) return "";
  return git.text(["log", `-n${count}`, "--date=short", "--format=%h %ad %s", "--no-color"]);
}
