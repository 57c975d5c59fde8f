/**
 * Requests an agent CLI makes for itself, not for the turn a test scripts: answered here, as the
 * real API would answer them, so they never consume a scripted reply. Recorded like the rest
 * with `side` naming them (and left out of `requestsTo`).
 *
 * - Gemini CLI's model router (0.61, when no `-m` is given): a `generateContent` whose system
 *   instruction is its "Task Routing AI" classifier, asking for `{complexity_reasoning,
 *   complexity_score}` as JSON; a score picks the Pro or the Flash model for the turn.
 */
import type { MockAnswer, RecordedRequest } from "./types.ts";

interface SideRequest {
  name: string;
  matches(request: RecordedRequest): boolean;
  answer(request: RecordedRequest): MockAnswer;
}

function systemText(request: RecordedRequest): string {
  const body = request.body as
    { systemInstruction?: { parts?: { text?: string }[] } | string } | undefined;
  const instruction = body?.systemInstruction;
  if (typeof instruction === "string") return instruction;
  return (instruction?.parts ?? []).map((part) => part.text ?? "").join("");
}

const sideRequests: SideRequest[] = [
  {
    name: "gemini-cli model router",
    matches: (request) =>
      request.api === "gemini" &&
      request.endpoint === "generateContent" &&
      systemText(request).includes("Task Routing AI") &&
      JSON.stringify(request.body).includes("complexity_score"),
    answer: () => ({
      text: JSON.stringify({
        complexity_reasoning: "A scripted step: routine edits.",
        complexity_score: 30,
      }),
      usage: { input: 40, output: 12 },
    }),
  },
];

/** The side request `request` is, if any. */
export function sideRequestOf(request: RecordedRequest): SideRequest | undefined {
  return sideRequests.find((side) => side.matches(request));
}
