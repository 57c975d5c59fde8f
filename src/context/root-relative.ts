import path from "node:path";

/**
 * `file` (resolved from `from`, the root by default) relative to `root` with `/` separators;
 * undefined when it is the root itself or outside it. Pure.
 */
export function rootRelative(root: string, file: string, from: string = root): string | undefined {
  const relative = path.relative(root, path.resolve(from, file));
  if (
    relative === "" ||
    relative.startsWith(`..${path.sep}`) ||
    relative === ".." ||
    path.isAbsolute(relative)
  ) {
    return undefined;
  }
  return relative.split(path.sep).join("/");
}
