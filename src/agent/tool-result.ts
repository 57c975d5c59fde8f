/**
 * What a client tool hands back to the loop: the `tool_result` content, whether it is an error
 * (`is_error: true`, which the model reads as "that call failed"), and a one-line summary for
 * progress events. A `ToolError` is an expected failure whose message goes to the model as is;
 * tool handlers throw it, the dispatcher turns it into an error result.
 */
import { oneLine } from "../providers/provider-errors.ts";

export interface ToolOutcome {
  content: string;
  isError: boolean;
  /** One line for progress display: "view src/a.ts", "npm test (exit 1)". */
  summary: string;
}

export class ToolError extends Error {
  override name = "ToolError";
}

/** Anthropic's tool docs word failures as "Error: …"; every error result starts that way. */
export function errorText(message: string): string {
  return message.startsWith("Error:") ? message : `Error: ${message}`;
}

/** A short, single-line rendering of model-supplied text for summaries and messages. */
export function preview(text: string, max = 80): string {
  return oneLine(text, max);
}
