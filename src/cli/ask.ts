/** Terminal questions with Clack, on stderr so stdout stays data. Ctrl-C cancels the command. */
import type { Readable, Writable } from "node:stream";

export function createTerminalAsk(input: Readable, output: Writable, signal: AbortSignal) {
  return async (question: string, proposed: string): Promise<string> => {
    const { text, isCancel } = await import("@clack/prompts");
    const answer = await text({
      message: `${question}\n  (Enter accepts the proposed answer; edit it to answer differently)`,
      initialValue: proposed,
      input,
      output,
      signal,
    });
    if (isCancel(answer))
      throw Object.assign(new Error("cancelled at a question"), { name: "AbortError" });
    return answer;
  };
}

export function createTerminalConfirm(input: Readable, output: Writable, signal: AbortSignal) {
  return async (message: string): Promise<boolean> => {
    const { confirm, isCancel } = await import("@clack/prompts");
    const answer = await confirm({ message, input, output, signal });
    if (isCancel(answer)) throw Object.assign(new Error("cancelled"), { name: "AbortError" });
    return answer;
  };
}
