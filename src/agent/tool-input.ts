/**
 * Validation of tool inputs. The client tools are schema-less on the wire (the model knows
 * their shape), so nothing guarantees that `path` is a string or `insert_line` a number: every
 * input is parsed here, and a malformed one becomes a tool error the model can correct, never
 * an exception.
 */
import type { z } from "zod";
import { ToolError } from "./tool-result.ts";

function issueText(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join(".") : "input";
  return `${where}: ${issue.message}`;
}

/** `schema`'s output for `input`, or a ToolError naming every problem. */
export function parseToolInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ToolError(
    `invalid input for ${what}: ${parsed.error.issues.map(issueText).join("; ")}`,
  );
}
