/** What the sandbox allows, in one line, for `git spe doctor` and the exec log. Pure. */
import type { SpeConfig } from "../config/schema.ts";

const uses = ["bash", "validate", "bootstrap", "agent"] as const;

export function describeSandboxPolicy(
  settings: SpeConfig["exec"]["sandbox"],
  version: string,
): string {
  if (settings === "off")
    return 'off (exec.sandbox: "off"): commands the model runs or writes have your full access';
  const network = uses
    .map((use) => {
      const hosts = settings.network[use];
      return `${use} ${hosts.length > 0 ? hosts.join(", ") : "none"}`;
    })
    .join("; ");
  const writable = ["the worktree", "a private /tmp and $HOME", ...settings.writable].join(", ");
  return `bubblewrap ${version}: writes ${writable}; git dir read-only; network: ${network} (an agent CLI also reaches its API host)`;
}
