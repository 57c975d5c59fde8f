/**
 * Opening the user's editor: $VISUAL, then $EDITOR (either may carry arguments, as git allows),
 * run through sh like git does, on the terminal.
 */
import { execa } from "execa";
import { environmentError, workFailed } from "../errors.ts";

export async function openEditor(
  file: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<void> {
  const editor = env.VISUAL || env.EDITOR;
  if (!editor) {
    throw environmentError("no editor: set VISUAL or EDITOR (for example export EDITOR=vim)");
  }
  const result = await execa("sh", ["-c", `${editor} "$1"`, editor, file], {
    env,
    stdio: "inherit",
    reject: false,
    cancelSignal: signal,
  });
  if (result.isCanceled) throw signal.reason ?? new DOMException("aborted", "AbortError");
  if (result.exitCode !== 0)
    throw workFailed(`the editor (${editor}) exited with ${result.exitCode ?? result.signal}`);
}
