/**
 * Renderers. `xml` follows repomix's layout (`<file_summary>`, `<directory_structure>`,
 * `<files><file path="…">`) so prompts written for repomix keep working; `markdown` is the same
 * document in fenced blocks; `json` is the design's machine form. Pure.
 */
import { displayPath, renderTree } from "./tree.ts";
import type { Chunk, PackedFile, SkippedFile } from "./types.ts";

export type ContextFormat = "xml" | "markdown" | "json";

export interface RenderInput {
  files: readonly PackedFile[];
  /** Files the model should know exist but cannot see (deleted, binary, secret, …). */
  notices: readonly SkippedFile[];
  /** "the entire repository" or a description of the selection. */
  description: string;
  /** "comments have been removed", … */
  processing: readonly string[];
  diff?: string;
  log?: string;
  /** Every path the directory structure lists (`--map`: files by path only too); default: the files'. */
  treePaths?: readonly string[];
}

const treeOf = (input: RenderInput) =>
  renderTree([...(input.treePaths ?? input.files.map((f) => f.path))]);

export function headerLine(input: RenderInput): string {
  const processed =
    input.processing.length > 0
      ? `\nThe content has been processed where ${input.processing.join(", ")}.`
      : "";
  return `This file is a merged representation of ${input.description}, combined into a single document by git spe.${processed}`;
}

function noticeLine(notice: SkippedFile): string {
  return `${displayPath(notice.path)} (${notice.reason}${notice.detail ? `: ${notice.detail}` : ""})`;
}

const purpose = (input: RenderInput) =>
  `This file contains a packed representation of ${input.description}.\nIt is designed to be easily consumable by AI systems for analysis, code review,\nor other automated processes.`;

const guidelines = `- This file should be treated as read-only. Any changes should be made to the
  original repository files, not this packed version.
- When processing this file, use the file path to distinguish
  between different files in the repository.`;

function notes(input: RenderInput): string {
  const lines = [
    "- Files ignored by .gitignore or .speignore are not included",
    "- Binary files, files over the size limit, symlinks, submodules and files in which a secret was found are listed under skipped files, not included",
    ...input.processing.map((p) => `- ${p.charAt(0).toUpperCase()}${p.slice(1)}`),
  ];
  if (input.diff !== undefined) lines.push("- The diff of the selected changes is included");
  if (input.log !== undefined) lines.push("- Recent commit subjects are included");
  return lines.join("\n");
}

export function escapeAttribute(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  return value.replace(/[&<>"\u0000-\u001f]/g, (ch) =>
    ch === "&"
      ? "&amp;"
      : ch === "<"
        ? "&lt;"
        : ch === ">"
          ? "&gt;"
          : ch === '"'
            ? "&quot;"
            : `&#${ch.charCodeAt(0)};`,
  );
}

/** Content followed by exactly one newline before the closing tag or fence. */
const withNewline = (content: string) =>
  content === "" || content.endsWith("\n") ? content : `${content}\n`;

/** A file's content as chunks: its bytes untouched when it has them, then the closing newline. */
function contentChunks(file: PackedFile): Chunk[] {
  if (!file.raw) return [withNewline(file.content)];
  const raw = file.raw;
  return raw.length === 0 || raw[raw.length - 1] === 0x0a ? [raw] : [raw, "\n"];
}

/**
 * The XML document as parts (file contents are not copied); join them for one string. With
 * `contentAt`, the index of the part where each file's content starts is pushed to it, in file
 * order (the content is the part's first bytes: the stored pack finds it there).
 */
export function renderXml(input: RenderInput, contentAt?: number[]): Chunk[] {
  const parts: Chunk[] = [
    `${headerLine(input)}\n\n<file_summary>\nThis section contains a summary of this file.\n\n<purpose>\n${purpose(input)}\n</purpose>\n\n`,
    `<file_format>\nThe content is organized as follows:\n1. This summary section\n2. Directory structure\n3. Skipped files, with the reason\n4. Repository files, each consisting of:\n  - File path as an attribute\n  - Full contents of the file\n</file_format>\n\n`,
    `<usage_guidelines>\n${guidelines}\n</usage_guidelines>\n\n<notes>\n${notes(input)}\n</notes>\n\n</file_summary>\n\n`,
    `<directory_structure>\n${treeOf(input)}\n</directory_structure>\n\n`,
  ];
  if (input.notices.length > 0)
    parts.push(
      `<skipped_files>\n${input.notices.map(noticeLine).join("\n")}\n</skipped_files>\n\n`,
    );
  parts.push("<files>\nThis section contains the contents of the repository's files.\n\n");
  for (const file of input.files) {
    const renamed =
      file.oldPath === undefined ? "" : ` old_path="${escapeAttribute(file.oldPath)}"`;
    parts.push(`<file path="${escapeAttribute(file.path)}"${renamed}>\n`);
    contentAt?.push(parts.length);
    parts.push(...contentChunks(file), "</file>\n\n");
  }
  parts.push("</files>");
  if (input.diff !== undefined) parts.push(`\n\n<git_diff>\n${input.diff}\n</git_diff>`);
  if (input.log !== undefined) parts.push(`\n\n<git_log>\n${input.log}\n</git_log>`);
  parts.push("\n");
  return parts;
}

const languageByExtension: Record<string, string> = {
  ts: "typescript",
  tsx: "tsx",
  mts: "typescript",
  cts: "typescript",
  js: "javascript",
  jsx: "jsx",
  mjs: "javascript",
  cjs: "javascript",
  py: "python",
  go: "go",
  rs: "rust",
  c: "c",
  h: "c",
  cpp: "cpp",
  hpp: "cpp",
  java: "java",
  cs: "csharp",
  rb: "ruby",
  sh: "bash",
  json: "json",
  yml: "yaml",
  yaml: "yaml",
  md: "markdown",
  html: "html",
  css: "css",
  sql: "sql",
  toml: "toml",
  xml: "xml",
  kt: "kotlin",
  swift: "swift",
  php: "php",
};

/** A Markdown code fence longer than any run of backticks in `content`, so it cannot close early. */
export function fence(content: string): string {
  const longest = Math.max(2, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  return "`".repeat(longest + 1);
}

/** The Markdown document as parts; `contentAt` as for {@link renderXml}. */
export function renderMarkdown(input: RenderInput, contentAt?: number[]): Chunk[] {
  const parts: Chunk[] = [
    `${headerLine(input)}\n\n# File Summary\n\n## Purpose\n${purpose(input)}\n\n## Usage Guidelines\n${guidelines}\n\n## Notes\n${notes(input)}\n\n`,
    `# Directory Structure\n\`\`\`\n${treeOf(input)}\n\`\`\`\n\n`,
  ];
  if (input.notices.length > 0)
    parts.push(`# Skipped Files\n${input.notices.map((n) => `- ${noticeLine(n)}`).join("\n")}\n\n`);
  parts.push("# Files\n\n");
  for (const file of input.files) {
    const ext = file.path.slice(file.path.lastIndexOf(".") + 1).toLowerCase();
    const marker = fence(file.content);
    const renamed =
      file.oldPath === undefined ? "" : ` (renamed from ${displayPath(file.oldPath)})`;
    parts.push(
      `## File: ${displayPath(file.path)}${renamed}\n${marker}${languageByExtension[ext] ?? ""}\n`,
    );
    contentAt?.push(parts.length);
    parts.push(withNewline(file.content), `${marker}\n\n`);
  }
  if (input.diff !== undefined)
    parts.push(`# Git Diff\n${fence(input.diff)}diff\n${input.diff}\n${fence(input.diff)}\n\n`);
  if (input.log !== undefined) parts.push(`# Git Log\n\`\`\`\n${input.log}\n\`\`\`\n`);
  return parts;
}

export interface JsonPack {
  files: {
    path: string;
    oldPath?: string;
    tokens: number;
    bytes: number;
    /** Under `--map`: "whole" or "outline". */
    level?: string;
    content: string;
  }[];
  skipped: { path: string; reason: string; detail?: string }[];
  totalTokens: number;
  diff?: string;
  log?: string;
}

export function renderJson(pack: JsonPack): string {
  return `${JSON.stringify(pack, null, 2)}\n`;
}
