/**
 * The one layer every command that runs model-written or model-chosen code goes through: the
 * bash tool, validate commands and plugin validators, the dependency bootstrap, and the agent
 * CLIs. A `Sandbox` belongs to one worktree (a run's, or `git spe validate`'s temporary one)
 * and turns "run argv in this directory" into the bwrap invocation that confines it (see
 * policy.ts), with its own scratch $HOME and /tmp (private-dir.ts).
 *
 * `exec.sandbox: "off"` gives the unconfined variant: the same interface, commands run as they
 * are with API keys and git's repository variables scrubbed (what git spe did before the
 * sandbox), and a warning each time a run starts.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { configuredSecretNames, isScrubbedVariable } from "../agent/command-env.ts";
import { environmentError } from "../errors.ts";
import { bridgePort } from "./bridge-script.ts";
import { otherCheckouts } from "./checkouts.ts";
import { describeSandboxPolicy } from "./describe.ts";
import { sandboxEnvironment } from "./environment.ts";
import { existing, expandHome, isDirectory } from "./paths.ts";
import { isInside, protectedHomeFiles, type SandboxMounts, bwrapArgs } from "./policy.ts";
import { createPrivateDir } from "./private-dir.ts";
import { createProxyPool } from "./proxy-pool.ts";
import { markedReadOnly } from "./read-only-marker.ts";
import { cleanScratchTargets } from "./scratch-targets.ts";
import { agentWorktree, type CreateSandboxOptions, type Sandbox } from "./types.ts";
import { requireInside, unconfinedSandbox } from "./unconfined.ts";

export type {
  CreateSandboxOptions,
  Sandbox,
  SandboxSpawn,
  SandboxUse,
  SpawnRequest,
} from "./types.ts";
export { unconfinedSandbox } from "./unconfined.ts";

/** Tool chains that live under $HOME and hold no credentials: readable when present. */
const toolchainDirs = ["~/.pyenv", "~/.rustup", "~/.nvm", "~/.volta", "~/.asdf", "~/.sdkman"];

/** Directories covered by an empty read-only tmpfs: other homes, runtime sockets, mounts. */
const hiddenDirs = ["/home", "/root", "/run", "/mnt", "/media", "/srv"];

/** A sandbox for `options.worktree`, per `exec.sandbox` (bubblewrap, or "off"). */
export async function createSandbox(options: CreateSandboxOptions): Promise<Sandbox> {
  const settings = options.config.exec.sandbox;
  if (settings === "off") return unconfinedSandbox(options);
  const { probe } = options;
  const secretNames = new Set(configuredSecretNames(options.config).map((n) => n.toUpperCase()));
  if (!probe.available) throw new Error(`sandbox unavailable: ${probe.reason}`);
  const home = path.resolve(options.env.HOME || os.homedir());
  if (home === "/")
    throw environmentError("HOME is /: the sandbox replaces $HOME with a scratch directory", {
      hint: "Set HOME to your home directory (or any directory of yours) and run again.",
    });
  // $HOME reached through a symlink: the real directory is hidden too.
  const realHome = await fs.realpath(home).catch(() => home);
  const own = await createPrivateDir();

  const hidden: string[] = [];
  for (const dir of hiddenDirs) if (await isDirectory(dir)) hidden.push(dir);
  if (realHome !== home && realHome !== "/") hidden.push(realHome);
  const checkouts = [
    options.toplevel,
    ...(await otherCheckouts(options.commonDir, options.worktree)),
  ];
  const underCover = (p: string) => isInside(p, home) || hidden.some((dir) => isInside(p, dir));
  // Never what holds $HOME (it would uncover it) nor anything in a checkout (npm run puts
  // <checkout>/node_modules/.bin on PATH): those stay hidden.
  const showable = (p: string) =>
    !isInside(home, p) && !isInside(realHome, p) && !checkouts.some((c) => isInside(p, c));
  const pathDirs = (options.env.PATH ?? "").split(path.delimiter).filter((d) => d.startsWith("/"));
  const readOnly = (
    await existing([
      ...toolchainDirs.map((p) => expandHome(p, home)),
      ...settings.read.map((p) => expandHome(p, home)),
      ...pathDirs.filter(underCover),
      ...(underCover(process.execPath) ? [path.dirname(process.execPath)] : []),
    ])
  ).filter(showable);
  const writable = settings.writable.map((p) => expandHome(p, home));
  // A listed directory that does not exist yet is made (a cache); a file is bound as it is.
  for (const p of writable)
    if (!(await fs.stat(p).catch(() => undefined))) await fs.mkdir(p, { recursive: true });

  const proxies = createProxyPool(own.dir);

  const sandbox: Sandbox = {
    confined: true,
    worktree: options.worktree,
    home,
    async spawn(use, request) {
      requireInside(request.cwd, options.worktree);
      const hosts = [...settings.network[use], ...(request.hosts ?? [])];
      // /run is a fresh tmpfs in every sandbox: nothing there can have been planted.
      const base = hidden.includes("/run") ? "/run/git-spe" : "/tmp/.git-spe";
      const inside = { bridge: `${base}/bridge.mjs`, socket: `${base}/proxy.sock` };
      const scratch = use === "validate" ? await own.freshScratch() : own.shared;
      await writeHomeFiles(scratch.home, request.homeFiles ?? {});
      const mounts: SandboxMounts = {
        worktree: options.worktree,
        worktreeReadOnly: [
          ...(await existing([path.join(options.worktree, ".git")])),
          ...(await markedReadOnly(options.worktree)),
        ],
        commonDir: options.commonDir,
        toplevel: options.toplevel,
        otherCheckouts: await otherCheckouts(options.commonDir, options.worktree),
        home,
        scratchHome: scratch.home,
        scratchTmp: scratch.tmp,
        emptyFile: own.emptyFile,
        hidden,
        readOnly: [
          ...readOnly,
          // An agent CLI installed in a checkout's node_modules: that package, not the checkout.
          ...(await existing(request.readOnly ?? [])).filter(
            (p) => showable(p) || (p.includes("/node_modules/") && !isInside(home, p)),
          ),
        ],
        writable,
        files: [],
        sockets: [],
        ...(request.atAlias ? { worktreeAlias: agentWorktree } : {}),
      };
      let argv = [...request.argv];
      let proxyEnv: NodeJS.ProcessEnv = {};
      if (hosts.length > 0) {
        const socket = await proxies.socketFor(hosts);
        mounts.files = [{ source: own.bridgeFile, target: inside.bridge }];
        mounts.sockets = [{ source: socket, target: inside.socket }];
        argv = [process.execPath, inside.bridge, String(bridgePort), inside.socket, ...argv];
        const url = `http://127.0.0.1:${bridgePort}`;
        proxyEnv = {
          HTTP_PROXY: url,
          HTTPS_PROXY: url,
          http_proxy: url,
          https_proxy: url,
          NO_PROXY: "",
          no_proxy: "",
        };
      }
      await cleanScratchTargets(mounts, [
        ...protectedHomeFiles.map((name) => path.join(home, name)),
        ...mounts.files.map((f) => f.target),
        ...mounts.sockets.map((f) => f.target),
        ...(mounts.worktreeAlias ? [mounts.worktreeAlias] : []),
      ]);
      const env = sandboxEnvironment(request.env, {
        home,
        // An agent CLI needs its own key (passed by name); nothing else ever gets one.
        ...(use === "agent"
          ? {}
          : { isSecret: (name: string) => isScrubbedVariable(name, secretNames) }),
        extraNames: [...settings.env, ...(request.passEnv ?? [])],
        set: proxyEnv,
      });
      return {
        file: probe.bwrap,
        args: [...bwrapArgs(mounts, request.cwd), "--", ...argv],
        env,
        cwd: request.cwd,
      };
    },
    takeDeniedHosts: () => proxies.takeDenied(),
    describe: () => describeSandboxPolicy(settings, probe.version),
    async dispose() {
      await proxies.close();
      await own.remove();
    },
    [Symbol.asyncDispose]: () => sandbox.dispose(),
  };
  return sandbox;
}

/** `SpawnRequest.homeFiles`, written under the scratch home (never outside it). */
async function writeHomeFiles(
  scratchHome: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const file = path.resolve(scratchHome, name);
    if (!isInside(file, scratchHome) || file === scratchHome)
      throw new Error(`sandbox: home file "${name}" is not inside $HOME`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text, { mode: 0o600 });
  }
}
