/**
 * The one layer every command that runs model-written or model-chosen code goes through: the
 * bash tool, validate commands and plugin validators, the dependency bootstrap, and the agent
 * CLIs. A `Sandbox` belongs to one worktree (a run's, or `git spe validate`'s temporary one)
 * and turns "run argv in this directory" into the bwrap invocation that confines it (see
 * policy.ts), with its own scratch $HOME and /tmp that live as long as the sandbox.
 *
 * `exec.sandbox: "off"` gives the unconfined variant: the same interface, commands run as they
 * are with API keys and git's repository variables scrubbed (what git spe did before the
 * sandbox), and a warning each time a run starts.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  commandEnvironment,
  configuredSecretNames,
  isScrubbedVariable,
} from "../agent/command-env.ts";
import type { SpeConfig } from "../config/schema.ts";
import { environmentError } from "../errors.ts";
import { bridgePort, bridgeScript } from "./bridge-script.ts";
import { describeSandboxPolicy } from "./describe.ts";
import { sandboxEnvironment } from "./environment.ts";
import { hostAllowed, namesAddress } from "./hosts.ts";
import { isInside, protectedHomeFiles, type SandboxMounts, bwrapArgs } from "./policy.ts";
import { type RunningProxy, startAllowlistProxy } from "./proxy.ts";
import { markedReadOnly } from "./read-only-marker.ts";
import { cleanScratchTargets } from "./scratch-targets.ts";
import type { SandboxProbe } from "./probe.ts";

/** What a command is for; each use has its own network allowlist. */
export type SandboxUse = "bash" | "validate" | "bootstrap" | "agent";

export interface SpawnRequest {
  /** The program and its arguments. */
  argv: readonly string[];
  /** Must be the worktree or inside it. */
  cwd: string;
  /** The environment the command would have had unconfined (keys are filtered out). */
  env: NodeJS.ProcessEnv;
  /** Variables of `env` the command needs besides the allowlist (an agent CLI's own key). */
  passEnv?: readonly string[];
  /** Hosts allowed besides the use's configured ones (an agent CLI's API host). */
  hosts?: readonly string[];
  /** Directories to make readable (an agent CLI's installation). */
  readOnly?: readonly string[];
}

export interface SandboxSpawn {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Sandbox extends AsyncDisposable {
  /** true: bubblewrap confines commands; false: `exec.sandbox: "off"`. */
  readonly confined: boolean;
  readonly worktree: string;
  /** `$HOME` as commands see it (a scratch directory when confined). */
  readonly home: string;
  /** How to start `request` for `use`. */
  spawn(use: SandboxUse, request: SpawnRequest): Promise<SandboxSpawn>;
  /** Hosts the proxy refused since the last call (for the tool result and the log). */
  takeDeniedHosts(): string[];
  /** One line for logs and doctor: what commands may reach. */
  describe(): string;
  dispose(): Promise<void>;
}

export interface CreateSandboxOptions {
  probe: SandboxProbe;
  config: SpeConfig;
  /** The environment of git spe (HOME, PATH are read from it). */
  env: NodeJS.ProcessEnv;
  worktree: string;
  commonDir: string;
  toplevel: string;
}

/**
 * The repository's other checkouts, read when a command starts (worktrees come and go during a
 * run): the main one, and every linked one its admin dir names, outside git spe's own area.
 */
async function otherCheckouts(commonDir: string, worktree: string): Promise<string[]> {
  const out: string[] = [];
  if (path.basename(commonDir) === ".git") out.push(path.dirname(commonDir));
  const admin = path.join(commonDir, "worktrees");
  for (const name of await fs.readdir(admin).catch(() => [] as string[])) {
    const gitFile = await fs.readFile(path.join(admin, name, "gitdir"), "utf8").catch(() => "");
    if (gitFile.trim()) out.push(path.dirname(gitFile.trim()));
  }
  const spe = path.join(commonDir, "spe");
  const live: string[] = [];
  for (const dir of new Set(out))
    if (!isInside(dir, spe) && dir !== worktree && (await isDirectory(dir))) live.push(dir);
  return live;
}

/** Tool chains that live under $HOME and hold no credentials: readable when present. */
const toolchainDirs = ["~/.pyenv", "~/.rustup", "~/.nvm", "~/.volta", "~/.asdf", "~/.sdkman"];

/** Directories covered by an empty read-only tmpfs: other homes, runtime sockets, mounts. */
const hiddenDirs = ["/home", "/root", "/run", "/mnt", "/media", "/srv"];

function expandHome(p: string, home: string): string {
  if (p === "~") return home;
  if (p.startsWith("~/")) return path.join(home, p.slice(2));
  return path.resolve(p);
}

async function isDirectory(p: string): Promise<boolean> {
  const stat = await fs.lstat(p).catch(() => undefined);
  return stat?.isDirectory() === true;
}

async function existing(paths: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const p of new Set(paths)) if (await fs.stat(p).catch(() => undefined)) out.push(p);
  return out;
}

/**
 * Commands as they are (keys and git's repository variables scrubbed): `exec.sandbox: "off"`,
 * and a plugin's own commands outside any worktree (`worktree: "/"`), which run no model code.
 */
export function unconfinedSandbox(options: { config: SpeConfig; worktree: string }): Sandbox {
  const secrets = configuredSecretNames(options.config);
  const sandbox: Sandbox = {
    confined: false,
    worktree: options.worktree,
    home: os.homedir(),
    async spawn(use, request) {
      requireInside(request.cwd, options.worktree);
      const env = use === "agent" ? { ...request.env } : commandEnvironment(request.env, secrets);
      for (const name of request.passEnv ?? [])
        if (request.env[name] !== undefined) env[name] = request.env[name];
      return {
        file: request.argv[0] as string,
        args: request.argv.slice(1),
        env,
        cwd: request.cwd,
      };
    },
    takeDeniedHosts: () => [],
    describe: () => describeSandboxPolicy("off", ""),
    dispose: async () => {},
    [Symbol.asyncDispose]: () => sandbox.dispose(),
  };
  return sandbox;
}

function requireInside(cwd: string, worktree: string): void {
  if (!isInside(path.resolve(cwd), path.resolve(worktree)))
    throw new Error(`sandbox: ${cwd} is not inside the worktree ${worktree}`);
}

const privatePrefix = "git-spe-sandbox-";
/**
 * Private dirs live in /tmp whatever TMPDIR says: /tmp is replaced inside every sandbox, so one
 * sandbox can never see another's scratch dirs or proxy sockets.
 */
const privateParent = "/tmp";

/** Private dirs of git spe processes that were killed before they could remove theirs. */
async function removeLeftovers(): Promise<void> {
  const names = await fs.readdir(privateParent).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^git-spe-sandbox-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH")
        await fs.rm(path.join(privateParent, name), { recursive: true, force: true });
    }
  }
}

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
  await removeLeftovers();
  const privateDir = await fs.mkdtemp(path.join(privateParent, `${privatePrefix}${process.pid}-`));
  await fs.chmod(privateDir, 0o700);
  // The model's commands, the bootstrap and an agent CLI keep their scratch $HOME and /tmp for
  // the run; each validation gets fresh ones, so nothing a command planted there (a Python
  // usercustomize, an npmrc) runs in what decides "done".
  const shared = { home: path.join(privateDir, "home"), tmp: path.join(privateDir, "tmp") };
  await fs.mkdir(shared.home);
  await fs.mkdir(shared.tmp);
  let lastFresh: string | undefined;
  const freshScratch = async () => {
    if (lastFresh) await fs.rm(lastFresh, { recursive: true, force: true });
    lastFresh = await fs.mkdtemp(path.join(privateDir, "validate-"));
    const fresh = { home: path.join(lastFresh, "home"), tmp: path.join(lastFresh, "tmp") };
    await fs.mkdir(fresh.home);
    await fs.mkdir(fresh.tmp);
    return fresh;
  };
  const emptyFile = path.join(privateDir, "empty");
  await fs.writeFile(emptyFile, "", { mode: 0o444 });
  const bridgeFile = path.join(privateDir, "bridge.mjs");
  await fs.writeFile(bridgeFile, bridgeScript);

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

  const proxies = new Map<string, Promise<{ socket: string; proxy: RunningProxy }>>();
  let denied: string[] = [];
  const proxyFor = (hosts: readonly string[]) => {
    const key = [...hosts].sort().join(" ");
    let entry = proxies.get(key);
    if (!entry) {
      const socket = path.join(privateDir, `proxy-${proxies.size}.sock`);
      entry = startAllowlistProxy({
        socketPath: socket,
        allows: (host, port) => hostAllowed(hosts, host, port),
        allowsPrivate: (address, port) => namesAddress(hosts, address, port),
        onDenied: (target) => denied.push(target),
      }).then((proxy) => ({ socket, proxy }));
      proxies.set(key, entry);
    }
    return entry;
  };

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
      const scratch = use === "validate" ? await freshScratch() : shared;
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
        emptyFile,
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
      };
      let argv = [...request.argv];
      let proxyEnv: NodeJS.ProcessEnv = {};
      if (hosts.length > 0) {
        const { socket } = await proxyFor(hosts);
        mounts.files = [{ source: bridgeFile, target: inside.bridge }];
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
    takeDeniedHosts() {
      const out = denied;
      denied = [];
      return out;
    },
    describe: () => describeSandboxPolicy(settings, probe.version),
    async dispose() {
      for (const entry of proxies.values()) await (await entry).proxy.close().catch(() => {});
      proxies.clear();
      await fs.rm(privateDir, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]: () => sandbox.dispose(),
  };
  return sandbox;
}
