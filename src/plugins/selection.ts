/** `--select NAME[=ARG]` as data; kept apart so parsing the command line loads no plugin code. */
import { usageError } from "../errors.ts";

export interface PluginSelection {
  name: string;
  argument?: string;
}

/** "NAME" or "NAME=ARG" (ARG may contain "="). */
export function parseSelection(text: string): PluginSelection {
  const at = text.indexOf("=");
  const name = (at === -1 ? text : text.slice(0, at)).trim();
  if (name === "") throw usageError(`--select ${JSON.stringify(text)}: expected NAME or NAME=ARG`);
  return at === -1 ? { name } : { name, argument: text.slice(at + 1) };
}
