import fs from "node:fs/promises";
import path from "node:path";

/** The first executable named `name` on PATH, like `command -v`; undefined when absent. */
export async function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      const stat = await fs.stat(candidate);
      if (stat.isFile()) {
        await fs.access(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The shell commands run with: bash if it is on PATH, else sh, else /bin/sh. */
export async function findShell(env: NodeJS.ProcessEnv): Promise<string> {
  return (await findExecutable("bash", env)) ?? (await findExecutable("sh", env)) ?? "/bin/sh";
}
