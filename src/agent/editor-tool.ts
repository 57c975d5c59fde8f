/**
 * Anthropic's text editor client tool, `text_editor_20250728` (tool name
 * `str_replace_based_edit_tool`): `view`, `create`, `str_replace` and `insert`; this version
 * has no `undo_edit`. `insert` takes its text in `insert_text` (current docs) or `new_str`
 * (earlier docs and the design). Every path goes through the worktree confinement first.
 * Docs: https://platform.claude.com/docs/en/agents-and-tools/tool-use/text-editor-tool
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { ConfinedPath, PathConfinement } from "./confine-path.ts";
import { readTextFile, viewDirectory, viewFile } from "./editor-view.ts";
import { insertAfterLine, replaceUnique } from "./text-edits.ts";
import { parseToolInput } from "./tool-input.ts";
import { ToolError } from "./tool-result.ts";

export const editorToolName = "str_replace_based_edit_tool";

const commands = ["view", "create", "str_replace", "insert"] as const;

const inputSchema = z.discriminatedUnion("command", [
  z.object({
    command: z.literal("view"),
    path: z.string(),
    view_range: z.tuple([z.int(), z.int()]).nullish(),
  }),
  z.object({ command: z.literal("create"), path: z.string(), file_text: z.string() }),
  z.object({
    command: z.literal("str_replace"),
    path: z.string(),
    old_str: z.string(),
    new_str: z.string().nullish(),
  }),
  z.object({
    command: z.literal("insert"),
    path: z.string(),
    insert_line: z.int().min(0),
    insert_text: z.string().nullish(),
    new_str: z.string().nullish(),
  }),
]);

export interface EditorContext {
  confinement: PathConfinement;
  /** Cap on what one `view` returns. */
  maxViewBytes: number;
}

export interface EditorResult {
  text: string;
  /** "view src/a.ts" */
  summary: string;
}

/** The command and path of an input, for summaries even when the input is malformed. */
export function describeEditorCall(input: unknown): string {
  const record = (typeof input === "object" && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  const command = typeof record.command === "string" ? record.command : "?";
  return typeof record.path === "string" ? `${command} ${record.path}` : command;
}

function checkCommand(input: unknown): void {
  const command = (input as { command?: unknown } | null)?.command;
  if (typeof command === "string" && (commands as readonly string[]).includes(command)) return;
  const known = `the commands are ${commands.join(", ")}`;
  if (command === "undo_edit")
    throw new ToolError(`undo_edit is not part of text_editor_20250728; ${known}`);
  throw new ToolError(
    typeof command === "string"
      ? `unknown command "${command}"; ${known}`
      : `command is missing; ${known}`,
  );
}

async function writeText(target: ConfinedPath, content: string): Promise<void> {
  // A file with other hard links (node_modules linked from the user's checkout) is replaced,
  // not written in place: writing would change the user's copy too.
  const stat = await fs.lstat(target.real).catch(() => undefined);
  if (stat?.isFile() && stat.nlink > 1) {
    const temp = path.join(
      path.dirname(target.real),
      `.${path.basename(target.real)}.spe-${randomBytes(4).toString("hex")}`,
    );
    await fs.writeFile(temp, content, { encoding: "utf8", mode: stat.mode & 0o7777, flag: "wx" });
    await fs.rename(temp, target.real);
    return;
  }
  // O_NOFOLLOW: the confined path is already resolved; a symlink appearing there is refused.
  const flags =
    fs.constants.O_WRONLY |
    fs.constants.O_CREAT |
    fs.constants.O_TRUNC |
    (fs.constants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(target.real, flags, 0o666);
  try {
    await handle.writeFile(content, "utf8");
  } finally {
    await handle.close();
  }
}

async function existingKind(file: string): Promise<"file" | "directory" | "other" | undefined> {
  const stat = await fs.lstat(file).catch(() => undefined);
  if (!stat) return undefined;
  return stat.isFile() ? "file" : stat.isDirectory() ? "directory" : "other";
}

/** Why a file operation failed, in words for the model. */
export function fileErrorText(error: unknown, display: string): string | undefined {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
      return `File not found: ${display}`;
    case "EACCES":
    case "EPERM":
      return `Permission denied: ${display}`;
    case "EISDIR":
      return `${display} is a directory`;
    case "ENOTDIR":
      return `a component of ${display} is not a directory`;
    case "ELOOP":
      return `${display} is a symlink; edit the file it points to`;
    default:
      return undefined;
  }
}

async function withFileErrors<T>(display: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const text = fileErrorText(error, display);
    if (text) throw new ToolError(text);
    throw error;
  }
}

export async function runEditorTool(input: unknown, context: EditorContext): Promise<EditorResult> {
  checkCommand(input);
  const call = parseToolInput(inputSchema, input, editorToolName);
  const target = await context.confinement.resolve(call.path);
  const summary = `${call.command} ${target.display}`;
  const text = await withFileErrors(target.display, async () => {
    switch (call.command) {
      case "view": {
        const kind = await existingKind(target.real);
        if (kind === undefined) throw new ToolError(`File not found: ${target.display}`);
        if (kind === "directory") {
          if (call.view_range) throw new ToolError("view_range applies to files, not directories");
          return viewDirectory(target, context.confinement.root, context.maxViewBytes);
        }
        return viewFile(target, call.view_range ?? undefined, context.maxViewBytes);
      }
      case "create": {
        const kind = await existingKind(target.real);
        if (kind === "directory") throw new ToolError(`${target.display} is a directory`);
        await fs.mkdir(path.dirname(target.real), { recursive: true });
        await writeText(target, call.file_text);
        return kind === undefined
          ? `File created successfully at: ${target.display}`
          : `File overwritten at: ${target.display} (it existed before)`;
      }
      case "str_replace": {
        const edit = replaceUnique(await readTextFile(target), call.old_str, call.new_str ?? "");
        await writeText(target, edit.content);
        return `Successfully replaced text at exactly one location in ${target.display} (now lines ${edit.firstLine}–${edit.lastLine}).`;
      }
      case "insert": {
        const inserted = call.insert_text ?? call.new_str;
        if (inserted === undefined || inserted === null)
          throw new ToolError("insert needs insert_text: the text to insert");
        const edit = insertAfterLine(await readTextFile(target), call.insert_line, inserted);
        await writeText(target, edit.content);
        return `Inserted text after line ${call.insert_line} of ${target.display} (now lines ${edit.firstLine}–${edit.lastLine}).`;
      }
    }
  });
  return { text, summary };
}
