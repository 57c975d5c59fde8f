/** Comment and string syntax per language family, chosen by file name. Pure. */

export interface CommentSyntax {
  line: readonly string[];
  block: readonly (readonly [string, string])[];
  /** Rust: block comments nest. */
  nestedBlocks?: boolean;
  /** String delimiters with backslash escapes. */
  quotes: readonly string[];
  /** String delimiters without escapes (Go raw strings, shell single quotes). */
  rawQuotes?: readonly string[];
  /** Python: ''' and """. */
  tripleQuotes?: boolean;
  /** JavaScript: `…${…}…` template literals and /regex/ literals. */
  javascript?: boolean;
  /** Rust: r"…", r#"…"#, and 'a' chars told apart from 'a lifetimes. */
  rust?: boolean;
  /** Shell, YAML, TOML, Python: `#` starts a comment only at the start of a word. */
  hashAtWordStart?: boolean;
  /** Shell: <<WORD heredocs are text, not code. */
  heredoc?: boolean;
}

const cBlock = [["/*", "*/"]] as const;
const c: CommentSyntax = { line: ["//"], block: cBlock, quotes: ['"', "'"] };
const javascript: CommentSyntax = {
  line: ["//"],
  block: cBlock,
  quotes: ['"', "'"],
  javascript: true,
};
const go: CommentSyntax = { line: ["//"], block: cBlock, quotes: ['"', "'"], rawQuotes: ["`"] };
const rust: CommentSyntax = {
  line: ["//"],
  block: cBlock,
  nestedBlocks: true,
  quotes: ['"'],
  rust: true,
};
const python: CommentSyntax = { line: ["#"], block: [], quotes: ['"', "'"], tripleQuotes: true };
const shell: CommentSyntax = {
  line: ["#"],
  block: [],
  quotes: ['"'],
  rawQuotes: ["'"],
  hashAtWordStart: true,
  heredoc: true,
};
const hash: CommentSyntax = { line: ["#"], block: [], quotes: ['"', "'"], hashAtWordStart: true };
const css: CommentSyntax = { line: [], block: cBlock, quotes: ['"', "'"] };
const scss: CommentSyntax = { line: ["//"], block: cBlock, quotes: ['"', "'"] };
const sql: CommentSyntax = { line: ["--"], block: cBlock, quotes: ["'", '"'] };
const lua: CommentSyntax = { line: ["--"], block: [["--[[", "]]"]], quotes: ['"', "'"] };
const markup: CommentSyntax = { line: [], block: [["<!--", "-->"]], quotes: [] };
const php: CommentSyntax = { line: ["//", "#"], block: cBlock, quotes: ['"', "'"] };

const byExtension: Record<string, CommentSyntax> = {
  js: javascript,
  jsx: javascript,
  mjs: javascript,
  cjs: javascript,
  ts: javascript,
  tsx: javascript,
  mts: javascript,
  cts: javascript,
  c: c,
  h: c,
  cc: c,
  cpp: c,
  cxx: c,
  hpp: c,
  hh: c,
  hxx: c,
  m: c,
  mm: c,
  java: c,
  cs: c,
  kt: c,
  kts: c,
  scala: c,
  swift: c,
  dart: c,
  groovy: c,
  gradle: c,
  proto: c,
  zig: c,
  go,
  rs: rust,
  py: python,
  pyi: python,
  sh: shell,
  bash: shell,
  zsh: shell,
  ksh: shell,
  rb: hash,
  pl: hash,
  r: hash,
  yaml: hash,
  yml: hash,
  toml: hash,
  cmake: hash,
  tf: php,
  ps1: hash,
  css,
  scss,
  less: scss,
  sql,
  lua,
  html: markup,
  htm: markup,
  xml: markup,
  svg: markup,
  vue: markup,
  svelte: markup,
  php,
};

const byName: Record<string, CommentSyntax> = {
  Dockerfile: hash,
  Makefile: hash,
  makefile: hash,
  GNUmakefile: hash,
  "CMakeLists.txt": hash,
  ".bashrc": shell,
  ".zshrc": shell,
  ".profile": shell,
};

export function commentSyntaxFor(filePath: string): CommentSyntax | undefined {
  const name = filePath.slice(filePath.lastIndexOf("/") + 1);
  if (byName[name]) return byName[name];
  if (name.startsWith("Dockerfile.")) return hash;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? byExtension[name.slice(dot + 1).toLowerCase()] : undefined;
}
