/** The directory structure section: directories first, then files, two spaces per level. Pure. */

/** Control characters (a newline in a file name) made visible, so one path stays one line. */
export function displayPath(filePath: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  return filePath.replace(/[\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\t") return "\\t";
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

interface Dir {
  dirs: Map<string, Dir>;
  files: string[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The last tree rendered: a pack renders the same tree twice (frame count, then document). */
let last: { paths: readonly string[]; tree: string } | undefined;

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function renderTree(paths: readonly string[]): string {
  if (last && samePaths(last.paths, paths)) return last.tree;
  const tree = buildTree(paths);
  last = { paths: [...paths], tree };
  return tree;
}

function buildTree(paths: readonly string[]): string {
  const root: Dir = { dirs: new Map(), files: [] };
  for (const filePath of paths) {
    const parts = filePath.split("/");
    const name = parts.pop() ?? filePath;
    let dir = root;
    for (const part of parts) {
      let next = dir.dirs.get(part);
      if (!next) dir.dirs.set(part, (next = { dirs: new Map(), files: [] }));
      dir = next;
    }
    dir.files.push(name);
  }
  const lines: string[] = [];
  const walk = (dir: Dir, indent: string) => {
    for (const name of [...dir.dirs.keys()].sort(compare)) {
      lines.push(`${indent}${displayPath(name)}/`);
      walk(dir.dirs.get(name) as Dir, `${indent}  `);
    }
    for (const name of [...dir.files].sort(compare)) lines.push(`${indent}${displayPath(name)}`);
  };
  walk(root, "");
  return lines.join("\n");
}
