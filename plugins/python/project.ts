/** Reading what detectPython needs from a directory. */
import fs from "node:fs/promises";
import path from "node:path";
import { detectPython, isRequirementsFile, type PythonProject } from "./detect.ts";

const configFiles = ["pyproject.toml", "setup.cfg", "tox.ini"];

export async function readPythonProject(dir: string): Promise<PythonProject> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const text: Record<string, string> = {};
  for (const name of entries.filter((e) => configFiles.includes(e) || isRequirementsFile(e))) {
    const content = await fs.readFile(path.join(dir, name), "utf8").catch(() => undefined);
    if (content !== undefined) text[name] = content;
  }
  return detectPython({ entries, text });
}
