/** Terminal colour and cursor codes, which programs print even when not on a terminal. */
// eslint-disable-next-line no-control-regex -- ANSI escape codes are what this matches
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ansi, "");
}
