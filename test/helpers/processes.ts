/**
 * Processes seen from the host, found by their exact command line. Inside the sandbox a
 * command has its own PID namespace, so `$!` written to a file names a PID that means nothing
 * outside: tests look processes up by what they run instead (e.g. `sleep 1017`).
 */
import fs from "node:fs";

/** Live (not zombie) host processes whose argv, joined by spaces, is exactly `argv`. */
export function hostProcesses(argv: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0$/, "");
      if (cmdline.split("\0").join(" ") !== argv) continue;
      const state = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (state !== "Z") out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out.filter((pid) => pid !== process.pid);
}

/** Live host processes whose argv, joined by spaces, contains `text`. */
export function hostProcessesContaining(text: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      const state = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (cmdline.includes(text) && state !== "Z") out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Waits until `probe` is true; false after `ms`. */
export async function eventually(probe: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}
