/**
 * Path confinement for the editor tool: every path the model names is resolved inside the
 * worktree or refused. Relative paths are taken from the worktree root; absolute ones must lie
 * under it (as given or as its realpath). Symlinks are resolved the way the kernel would follow
 * them: the deepest component that exists is realpath'd and the missing rest appended, so a
 * symlink inside the worktree that points outside is refused, for reads and for writes below
 * it. A dangling symlink is refused too: writing through it would create its target, wherever
 * that is. Anything under a `.git` component is refused: in a linked worktree `.git` is a file
 * naming the repository's git dir, and git data belongs to the orchestrator.
 *
 * The check and the later file operation are not atomic, which is acceptable here because
 * nothing else runs in the worktree meanwhile: tool calls run one at a time, and the command
 * runner kills a command's whole process group before its call returns.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { ToolError } from "./tool-result.ts";

export interface ConfinedPath {
  /** Absolute, with every existing component's symlinks resolved: operate on this. */
  real: string;
  /** Relative to the worktree root with "/" separators ("." for the root): shown to the model. */
  display: string;
}

export interface PathConfinement {
  /** The worktree's realpath. */
  readonly root: string;
  resolve(input: string): Promise<ConfinedPath>;
}

/** `abs` relative to `base` when it is `base` or below it; undefined otherwise. */
function relativeInside(base: string, abs: string): string | undefined {
  const rel = path.relative(base, abs);
  if (rel === "") return "";
  if (rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel;
}

function touchesGitDir(rel: string): boolean {
  // Case-insensitive: on macOS and Windows file systems `.GIT` is `.git`.
  return rel.split(path.sep).some((part) => part.toLowerCase() === ".git");
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The deepest existing path at or above `target` (by lstat) and the missing components below. */
async function splitExisting(target: string): Promise<{ existing: string; rest: string[] }> {
  const rest: string[] = [];
  let existing = target;
  for (;;) {
    try {
      await fs.lstat(existing);
      return { existing, rest };
    } catch (error) {
      const code = errorCode(error);
      const parent = path.dirname(existing);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === existing) throw error;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

export async function createPathConfinement(worktree: string): Promise<PathConfinement> {
  const given = path.resolve(worktree);
  const root = await fs.realpath(given);
  const outside = (input: string, how = "is outside the worktree") =>
    new ToolError(
      `${input}: ${how}; use a path relative to the worktree root (or an absolute path under ${root})`,
    );

  async function resolve(input: string): Promise<ConfinedPath> {
    if (input.trim() === "") throw new ToolError("path is empty");
    if (input.includes("\0")) throw new ToolError("path contains a NUL byte");
    const lexical = path.isAbsolute(input)
      ? (relativeInside(root, path.resolve(input)) ?? relativeInside(given, path.resolve(input)))
      : relativeInside(root, path.resolve(root, input));
    if (lexical === undefined) throw outside(input);
    if (touchesGitDir(lexical)) throw gitRefusal(input);

    const { existing, rest } = await splitExisting(path.join(root, lexical));
    let real: string;
    try {
      real = path.join(await fs.realpath(existing), ...rest);
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT") throw outside(input, "goes through a symlink whose target is missing");
      if (code === "ELOOP") throw outside(input, "goes through a symlink loop");
      throw error;
    }
    const rel = relativeInside(root, real);
    if (rel === undefined)
      throw outside(input, "resolves through a symlink to outside the worktree");
    if (touchesGitDir(rel)) throw gitRefusal(input);
    return { real, display: rel === "" ? "." : rel.split(path.sep).join("/") };
  }

  return { root, resolve };
}

function gitRefusal(input: string): ToolError {
  return new ToolError(
    `${input}: is inside .git; git data is off limits (the orchestrator commits your changes)`,
  );
}
