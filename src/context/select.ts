/**
 * Selectors → candidate files, as a union. Every list comes from git with -z; renames keep
 * their old path; paths are relative to the work tree root. Deleted and missing files stay
 * candidates: the reader lists them without reading.
 */
import { usageError } from "../errors.ts";
import type { Git } from "../git/exec.ts";
import {
  listChangesSince,
  listIndexEntries,
  listStagedChanges,
  listUnstagedChanges,
  listUntrackedFiles,
} from "../git/files.ts";
import type { FileChange } from "../git/parse-z.ts";
import { splitNul } from "../git/parse-z.ts";
import { mergeBase, resolveBranchBase } from "./branch-base.ts";
import { rootRelative } from "./root-relative.ts";
import { selectionRank, type Candidate, type SelectionKind } from "./types.ts";
import type { PluginSelection, SelectWithPlugin } from "../plugins/selectors.ts";

export interface SelectorOptions {
  all?: boolean;
  staged?: boolean;
  modified?: boolean;
  untracked?: boolean;
  /** undefined: not selected; "": the default base; otherwise the base revision. */
  branch?: string;
  grep?: readonly string[];
  /** Fixed strings (not patterns) for git grep -F -i: what a request mentions. */
  grepFixed?: readonly string[];
  /** Files a plan names (resolved by the caller). */
  planFiles?: readonly string[];
  /** Files named exactly, relative to the work tree root (the ones a request mentions). */
  files?: readonly string[];
  /** Paths from --stdin, relative to `cwd`. */
  stdinPaths?: readonly string[];
  /** Pathspecs from the command line, relative to `cwd`. */
  pathspecs?: readonly string[];
  /** `--select NAME[=ARG]`: plugin context providers (resolved by `selectWithPlugin`). */
  select?: readonly PluginSelection[];
}

export interface SelectionContext {
  /** Runs at the work tree root. */
  git: Git;
  toplevel: string;
  /** The directory the user ran git spe in: pathspecs and stdin paths are relative to it. */
  cwd: string;
  /** Runs a plugin's context provider; root-relative paths (plugins/selectors.ts). */
  selectWithPlugin?: SelectWithPlugin;
}

export function hasSelector(options: SelectorOptions): boolean {
  return Boolean(
    options.all ||
    options.staged ||
    options.modified ||
    options.untracked ||
    options.branch !== undefined ||
    options.grep?.length ||
    options.planFiles?.length ||
    options.stdinPaths?.length ||
    options.pathspecs?.length ||
    options.select?.length,
  );
}

class CandidateSet {
  readonly byPath = new Map<string, Candidate>();

  add(
    filePath: string,
    kind: SelectionKind,
    selector: string,
    extra: Partial<Candidate> = {},
  ): void {
    const rank = selectionRank[kind];
    const existing = this.byPath.get(filePath);
    if (existing) {
      existing.rank = Math.max(existing.rank, rank);
      if (!existing.selectedBy.includes(selector)) existing.selectedBy.push(selector);
      existing.oldPath ??= extra.oldPath;
      existing.mode ??= extra.mode;
    } else {
      this.byPath.set(filePath, { path: filePath, rank, selectedBy: [selector], ...extra });
    }
  }

  addChanges(changes: readonly FileChange[], selector: string): void {
    for (const change of changes) {
      this.add(change.path, "diff", selector, change.oldPath ? { oldPath: change.oldPath } : {});
    }
  }
}

/** Makes a cwd-relative path root-relative; refuses anything outside the work tree. */
export function toRootRelative(
  ctx: Pick<SelectionContext, "toplevel" | "cwd">,
  input: string,
): string {
  const relative = rootRelative(ctx.toplevel, input, ctx.cwd);
  if (relative === undefined)
    throw usageError(`${JSON.stringify(input)} is outside the work tree ${ctx.toplevel}`);
  return relative;
}

async function grepFiles(git: Git, pattern: string): Promise<string[]> {
  // -I: binary files never match; exit 1 means "no match", not an error.
  const { stdout } = await git.run(["grep", "-l", "-z", "-I", "--full-name", "-e", pattern], {
    okExitCodes: [1],
  });
  return splitNul(stdout);
}

async function pathspecFiles(
  ctx: SelectionContext,
  pathspecs: readonly string[],
): Promise<string[]> {
  // From the user's cwd so pathspecs mean what they mean to git; --full-name for root paths.
  const here = ctx.git.at(ctx.cwd);
  const tracked = await here.run(["ls-files", "-z", "--full-name", "--cached"], {
    paths: pathspecs,
  });
  const untracked = await here.run(
    ["ls-files", "-z", "--full-name", "--others", "--exclude-standard"],
    { paths: pathspecs },
  );
  return [...new Set([...splitNul(tracked.stdout), ...splitNul(untracked.stdout)])];
}

export interface Selection {
  candidates: Candidate[];
  /** With `--branch`: the merge-base of its base and HEAD, which `--diff` measures from too. */
  branchFrom?: string;
}

export async function selectFiles(
  ctx: SelectionContext,
  options: SelectorOptions,
): Promise<Selection> {
  const { git } = ctx;
  const set = new CandidateSet();
  let branchFrom: string | undefined;
  const all = options.all || !hasSelector(options);
  if (all) {
    for (const entry of await listIndexEntries(git))
      set.add(entry.path, "all", "all", { mode: entry.mode });
  }
  if (options.staged) set.addChanges(await listStagedChanges(git), "staged");
  if (options.modified) set.addChanges(await listUnstagedChanges(git), "modified");
  if (options.untracked)
    for (const file of await listUntrackedFiles(git)) set.add(file, "diff", "untracked");
  if (options.branch !== undefined) {
    const base = await resolveBranchBase(git, options.branch || undefined);
    branchFrom = await mergeBase(git, base);
    // Against the work tree: committed and uncommitted changes since the fork point.
    set.addChanges(await listChangesSince(git, branchFrom), `branch:${base}`);
  }
  for (const pattern of options.grep ?? []) {
    for (const file of await grepFiles(git, pattern)) set.add(file, "grep", `grep:${pattern}`);
  }
  if (options.grepFixed?.length) {
    const args = [
      "grep",
      "-l",
      "-z",
      "-I",
      "-F",
      "-i",
      "--full-name",
      ...options.grepFixed.flatMap((term) => ["-e", term]),
    ];
    const { stdout } = await git.run(args, { okExitCodes: [1] });
    for (const file of splitNul(stdout)) set.add(file, "grep", "mentioned");
  }
  for (const selection of options.select ?? []) {
    if (!ctx.selectWithPlugin) throw new Error("--select needs the plugins (selectWithPlugin)");
    for (const file of await ctx.selectWithPlugin(selection))
      set.add(file, "grep", `select:${selection.name}`);
  }
  for (const file of options.planFiles ?? []) set.add(file, "plan", "plan");
  for (const file of options.files ?? []) set.add(file, "explicit", "named");
  for (const input of options.stdinPaths ?? [])
    set.add(toRootRelative(ctx, input), "explicit", "stdin");
  if (options.pathspecs?.length) {
    const files = await pathspecFiles(ctx, options.pathspecs);
    if (files.length === 0) {
      throw usageError(
        `no file matches ${options.pathspecs.map((p) => JSON.stringify(p)).join(" ")}`,
        {
          hint: "Pathspecs are relative to the current directory; quote globs so git expands them.",
        },
      );
    }
    for (const file of files) set.add(file, "explicit", "path");
  }
  return { candidates: [...set.byPath.values()], branchFrom };
}
