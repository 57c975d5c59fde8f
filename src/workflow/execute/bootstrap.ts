/**
 * Making the scratch worktree runnable: files listed in `.worktreeinclude` (gitignore syntax:
 * untracked files the work needs, like `.env`) are copied from the user's work tree, and
 * dependencies are provided per `exec.worktree.deps`: `link` hard-links `node_modules` when the
 * lockfile is the same (no download, no disk), falling back to `install`; `install` runs the
 * package manager's frozen install; `none` does nothing.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { workFailed } from "../../errors.ts";
import { splitNul } from "../../git/parse-z.ts";
import type { ExecContext } from "./context.ts";
import { runValidators } from "./validation.ts";
import { configuredSecretNames } from "./executor-factory.ts";

const installs: { lockfile: string; command: string }[] = [
  { lockfile: "package-lock.json", command: "npm ci --no-audit --no-fund" },
  { lockfile: "npm-shrinkwrap.json", command: "npm ci --no-audit --no-fund" },
  { lockfile: "pnpm-lock.yaml", command: "pnpm install --frozen-lockfile" },
  { lockfile: "yarn.lock", command: "yarn install --frozen-lockfile" },
  { lockfile: "bun.lock", command: "bun install --frozen-lockfile" },
  { lockfile: "bun.lockb", command: "bun install --frozen-lockfile" },
];

const exists = (file: string) =>
  fs.lstat(file).then(
    () => true,
    () => false,
  );

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    fs.readFile(a).catch(() => undefined),
    fs.readFile(b).catch(() => undefined),
  ]);
  return x !== undefined && y !== undefined && x.equals(y);
}

/** A copy of `from` made of hard links (symlinks recreated as they are). */
export async function linkTree(from: string, to: string): Promise<void> {
  const result = await execa("cp", ["-al", "--", from, to], { reject: false });
  if (result.exitCode === 0) return;
  await fs.rm(to, { recursive: true, force: true });
  const walk = async (src: string, dst: string): Promise<void> => {
    await fs.mkdir(dst, { recursive: true });
    for (const entry of await fs.readdir(src, { withFileTypes: true })) {
      const s = path.join(src, entry.name);
      const d = path.join(dst, entry.name);
      if (entry.isDirectory()) await walk(s, d);
      else if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(s), d);
      else if (entry.isFile()) await fs.link(s, d).catch(() => fs.copyFile(s, d));
    }
  };
  await walk(from, to);
}

async function copyIncluded(c: ExecContext): Promise<number> {
  const { toplevel } = c.pe.ws.paths;
  const include = path.join(toplevel, ".worktreeinclude");
  if (!(await exists(include))) return 0;
  const { stdout } = await c.pe.ws.git.run([
    "ls-files",
    "-z",
    "--others",
    "--ignored",
    `--exclude-from=${include}`,
  ]);
  let copied = 0;
  for (const file of splitNul(stdout)) {
    const source = path.join(toplevel, file);
    const target = path.join(c.state.worktree, file);
    const stat = await fs.lstat(source).catch(() => undefined);
    if (!stat?.isFile() || (await exists(target))) continue;
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(source, target);
    copied++;
  }
  return copied;
}

async function install(c: ExecContext, command: string): Promise<void> {
  c.pe.log.info(`exec: installing dependencies in the worktree: ${command}`);
  const record = await runValidators([command], {
    worktree: c.state.worktree,
    env: c.pe.env,
    secretEnvNames: configuredSecretNames(c.pe.ws.config),
    timeoutMs: c.pe.ws.config.exec.commandTimeoutSec * 1000,
    signal: c.pe.signal,
  });
  if (!record.passed) {
    const run = record.runs.at(-1);
    throw workFailed(
      `bootstrap: ${command} failed (${run?.timedOut ? "timed out" : `exit ${run?.exitCode}`}):\n${(run?.output ?? "").split("\n").slice(-15).join("\n")}`,
      {
        hint: 'Fix it, or set exec.worktree.deps to "none" in .spe.config.ts.',
      },
    );
  }
}

export async function bootstrapWorktree(c: ExecContext): Promise<void> {
  const copied = await copyIncluded(c);
  if (copied > 0) c.pe.log.info(`exec: copied ${copied} file(s) listed in .worktreeinclude`);
  const strategy = c.pe.ws.config.exec.worktree.deps;
  const worktree = c.state.worktree;
  if (strategy === "none" || !(await exists(path.join(worktree, "package.json")))) return;
  let chosen: (typeof installs)[number] | undefined;
  for (const candidate of installs) {
    if (await exists(path.join(worktree, candidate.lockfile))) {
      chosen = candidate;
      break;
    }
  }
  if (!chosen) {
    c.pe.log.warn(
      "exec: package.json without a lockfile: dependencies not installed in the worktree",
    );
    return;
  }
  const userModules = path.join(c.pe.ws.paths.toplevel, "node_modules");
  if (
    strategy === "link" &&
    (await exists(userModules)) &&
    (await sameFile(
      path.join(c.pe.ws.paths.toplevel, chosen.lockfile),
      path.join(worktree, chosen.lockfile),
    ))
  ) {
    await linkTree(userModules, path.join(worktree, "node_modules"));
    c.pe.log.info("exec: node_modules hard-linked into the worktree (same lockfile)");
    return;
  }
  await install(c, chosen.command);
}
