/** Small path helpers of the sandbox. */
import fs from "node:fs/promises";
import path from "node:path";

/** `~` and `~/…` against `home`; anything else made absolute. */
export function expandHome(p: string, home: string): string {
  if (p === "~") return home;
  if (p.startsWith("~/")) return path.join(home, p.slice(2));
  return path.resolve(p);
}

export async function isDirectory(p: string): Promise<boolean> {
  const stat = await fs.lstat(p).catch(() => undefined);
  return stat?.isDirectory() === true;
}

export async function existing(paths: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const p of new Set(paths)) if (await fs.stat(p).catch(() => undefined)) out.push(p);
  return out;
}
