/**
 * A sandbox's private directory: the scratch $HOME and /tmp that commands keep for the run, a
 * fresh pair for each validation (nothing a command planted there, a Python usercustomize or an
 * npmrc, runs in what decides "done"), an empty file to bind over protected files, the network
 * bridge script and the proxies' sockets.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { bridgeScript } from "./bridge-script.ts";

export interface Scratch {
  home: string;
  tmp: string;
}

export interface PrivateDir {
  dir: string;
  shared: Scratch;
  /** A new pair; the one made by the previous call is removed. */
  freshScratch(): Promise<Scratch>;
  emptyFile: string;
  bridgeFile: string;
  remove(): Promise<void>;
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

async function scratchIn(dir: string): Promise<Scratch> {
  const scratch = { home: path.join(dir, "home"), tmp: path.join(dir, "tmp") };
  await fs.mkdir(scratch.home);
  await fs.mkdir(scratch.tmp);
  return scratch;
}

export async function createPrivateDir(): Promise<PrivateDir> {
  await removeLeftovers();
  const dir = await fs.mkdtemp(path.join(privateParent, `${privatePrefix}${process.pid}-`));
  await fs.chmod(dir, 0o700);
  const shared = await scratchIn(dir);
  const emptyFile = path.join(dir, "empty");
  await fs.writeFile(emptyFile, "", { mode: 0o444 });
  const bridgeFile = path.join(dir, "bridge.mjs");
  await fs.writeFile(bridgeFile, bridgeScript);
  let lastFresh: string | undefined;
  return {
    dir,
    shared,
    async freshScratch() {
      if (lastFresh) await fs.rm(lastFresh, { recursive: true, force: true });
      lastFresh = await fs.mkdtemp(path.join(dir, "validate-"));
      return scratchIn(lastFresh);
    },
    emptyFile,
    bridgeFile,
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
