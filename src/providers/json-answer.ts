/**
 * The JSON in an agent CLI's answer. CLIs without a schema flag answer in prose channels, and
 * models often wrap JSON in a ```json fence; both are accepted.
 */
export function parseJsonAnswer(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : trimmed) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Appended to the prompt of a CLI that has no way to constrain its output to a schema. */
export function jsonInstruction(schema: Record<string, unknown>): string {
  return (
    "\n\nAnswer with only a JSON value that matches this JSON Schema: no prose, no code fence.\n" +
    JSON.stringify(schema)
  );
}

/** `json`, or `jsonError` saying why the answer is not JSON (`detail` names the stop reason). */
export function jsonFields(text: string, detail?: string): { json?: unknown; jsonError?: string } {
  const parsed = parseJsonAnswer(text);
  if (parsed.ok) return { json: parsed.value };
  return {
    jsonError:
      `the answer is not valid JSON${detail ? ` (${detail})` : ""}: ${parsed.error}`.replace(
        /\s+/g,
        " ",
      ),
  };
}
