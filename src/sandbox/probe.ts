/**
 * Can a sandbox be made here? Linux only (bubblewrap); `bwrap` must be on PATH and actually
 * start a command with the namespaces the policy uses (user namespaces can be forbidden by the
 * kernel, a container's seccomp profile, or AppArmor). The probe runs once per process.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findExecutable } from "../util/find-executable.ts";
import { bwrapArgs } from "./policy.ts";

export type SandboxProbe =
  | { available: true; bwrap: string; version: string }
  | { available: false; reason: string; fix: string };

function run(
  file: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: 10_000, env: { PATH: process.env.PATH ?? "" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

async function probeBwrap(bwrap: string): Promise<SandboxProbe> {
  const version = (await run(bwrap, ["--version"])).stdout.trim().replace(/^bubblewrap\s*/, "");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "git-spe-probe-"));
  try {
    for (const sub of ["home", "tmp", "work", "git"]) await fs.mkdir(path.join(dir, sub));
    await fs.writeFile(path.join(dir, "empty"), "");
    const work = path.join(dir, "work");
    const args = bwrapArgs(
      {
        worktree: work,
        worktreeReadOnly: [],
        commonDir: path.join(dir, "git"),
        toplevel: work,
        otherCheckouts: [],
        home: os.homedir(),
        scratchHome: path.join(dir, "home"),
        scratchTmp: path.join(dir, "tmp"),
        emptyFile: path.join(dir, "empty"),
        hidden: [],
        readOnly: [],
        writable: [],
        files: [],
        sockets: [],
      },
      work,
    );
    const result = await run(bwrap, [
      ...args,
      "--",
      "/bin/sh",
      "-c",
      "echo ok > probe && cat probe",
    ]);
    if (result.code === 0 && result.stdout.trim() === "ok")
      return { available: true, bwrap, version };
    const said = result.stderr.trim().split("\n").at(-1) ?? `exit ${result.code}`;
    return {
      available: false,
      reason: `bubblewrap cannot create the sandbox here (${said})`,
      fix: 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or the container\'s seccomp/AppArmor profile), or set exec.sandbox: "off" in .spe.config.ts',
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const probes = new Map<string, Promise<SandboxProbe>>();

/** Whether bubblewrap works here; `env` gives the PATH to look on. Cached per bwrap binary. */
export async function probeSandbox(env: NodeJS.ProcessEnv): Promise<SandboxProbe> {
  if (process.platform !== "linux")
    return {
      available: false,
      reason: `no sandbox for ${process.platform} yet (git spe confines commands with bubblewrap, on Linux)`,
      fix: 'run on Linux, or set exec.sandbox: "off" in .spe.config.ts',
    };
  const bwrap = await findExecutable("bwrap", env);
  if (!bwrap)
    return {
      available: false,
      reason: "bubblewrap (bwrap) is not installed",
      fix: "apt-get install bubblewrap (or dnf/pacman install bubblewrap)",
    };
  let probe = probes.get(bwrap);
  if (!probe) probes.set(bwrap, (probe = probeBwrap(bwrap)));
  return probe;
}
