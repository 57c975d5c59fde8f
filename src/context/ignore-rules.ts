/**
 * `.speignore` (gitignore syntax, at the work tree root) plus config `context.exclude`: files a
 * model never sees, on top of what .gitignore keeps out of git's lists.
 */
import fs from "node:fs/promises";
import path from "node:path";
import ignore from "ignore";

export type IgnoreTest = (relativePath: string) => boolean;

export async function loadIgnoreRules(
  toplevel: string,
  extraPatterns: readonly string[],
): Promise<IgnoreTest> {
  // Case-sensitive like git on Linux; ignore() defaults to case-insensitive.
  const rules = ignore({ ignorecase: false });
  let any = extraPatterns.length > 0;
  try {
    rules.add(await fs.readFile(path.join(toplevel, ".speignore"), "utf8"));
    any = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!any) return () => false;
  rules.add([...extraPatterns]);
  return (relativePath) => rules.ignores(relativePath);
}
