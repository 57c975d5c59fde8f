/**
 * Where spec and plan run an agent CLI: an empty directory of the user's own, outside every
 * repository. Both CLIs configure themselves from their working directory (Claude Code's
 * `.claude/settings.json` hooks, Gemini CLI's `.gemini/settings.json` MCP servers and hooks,
 * which `--skip-trust` lets in), so running them in the user's checkout, outside the sandbox,
 * would let the repository's content run commands; their file tools would also reach files
 * that context packing keeps out (`.env`). The context they need is on stdin.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** `$TMPDIR/git-spe-agent-<uid>`, mode 0700, emptied; a fresh private one if that is not ours. */
export async function phaseAgentDir(env: NodeJS.ProcessEnv): Promise<string> {
  const uid = process.getuid?.() ?? -1;
  const parent = env.TMPDIR || os.tmpdir();
  const dir = path.join(parent, `git-spe-agent-${uid}`);
  await fs.mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  const stat = await fs.lstat(dir);
  // Someone else's (or a link): never run in it.
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0)
    return fs.mkdtemp(path.join(parent, "git-spe-agent-"));
  for (const name of await fs.readdir(dir))
    await fs.rm(path.join(dir, name), { recursive: true, force: true });
  return dir;
}
