/**
 * The `dir` store: `.spe/<id>/{USER-SPEC.md,AI-SPEC.md,AI-PLAN.md,state.json}` at the work tree
 * root, meant to be committed. Every file is written to a temp file (`*.tmp`, ignored by
 * `.spe/.gitignore`) and renamed into place; within one write `state.json` is renamed last, so a
 * reader that trusts state.json (as `list()` does) never sees a half-written spec. `.spe` and
 * `.spe/<id>` must be real directories: a symlink planted there could send writes outside the
 * repository, so it is refused.
 */
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { workFailed } from "../errors.ts";
import { specIdProblem, validateSpecId } from "./spec-id.ts";
import { checkWrite, isArtifactName, parseStoredState, updatedAtMs } from "./state-file.ts";
import type { ArtifactName, ArtifactStore, SpecEntry } from "./types.ts";

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/** Resolves true when `dir` is a directory, false when absent; throws when it is anything else. */
async function isRealDirectory(dir: string): Promise<boolean> {
  try {
    const stat = await fs.lstat(dir);
    if (stat.isDirectory()) return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
  throw workFailed(`${dir} is not a directory (a symlink or a file): git spe will not use it`, {
    hint: "Move it away; git spe keeps specs in real directories under .spe/.",
  });
}

/** The file's text; undefined when absent. A symlink is refused (O_NOFOLLOW), not followed. */
async function readText(file: string): Promise<string | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (isMissing(error)) return undefined;
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw workFailed(`${file} is a symlink: git spe will not read through it`);
    }
    throw error;
  }
  try {
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

async function writeTemp(dir: string, name: string, content: string): Promise<string> {
  const temp = path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "wx");
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

export function createDirStore(toplevel: string): ArtifactStore {
  const speDir = path.join(toplevel, ".spe");
  const specDir = (id: string) => path.join(speDir, validateSpecId(id));

  /** The spec's directory when `.spe` and it are real directories; undefined when absent. */
  async function existingSpecDir(id: string): Promise<string | undefined> {
    const dir = specDir(id);
    if (!(await isRealDirectory(speDir)) || !(await isRealDirectory(dir))) return undefined;
    return dir;
  }

  return {
    kind: "dir",

    async list() {
      if (!(await isRealDirectory(speDir))) return [];
      const entries: SpecEntry[] = [];
      for (const dirent of await fs.readdir(speDir, { withFileTypes: true })) {
        if (!dirent.isDirectory() || specIdProblem(dirent.name) !== undefined) continue;
        const text = await readText(path.join(speDir, dirent.name, "state.json"));
        const state = parseStoredState(text, dirent.name);
        if (state) entries.push({ id: dirent.name, state });
      }
      return entries.sort(
        (a, b) => updatedAtMs(b.state) - updatedAtMs(a.state) || a.id.localeCompare(b.id),
      );
    },

    async read(id: string, name: ArtifactName) {
      if (!isArtifactName(name)) return undefined;
      const dir = await existingSpecDir(id);
      return dir === undefined ? undefined : readText(path.join(dir, name));
    },

    async write(id, files, _options) {
      const dir = specDir(id);
      if (await isRealDirectory(speDir)) await isRealDirectory(dir);
      const exists = (await readText(path.join(dir, "state.json"))) !== undefined;
      checkWrite(id, files, exists);
      await fs.mkdir(dir, { recursive: true });
      await isRealDirectory(dir);
      const names = Object.keys(files) as ArtifactName[];
      // state.json last: it is what says the spec (and its new phase) exists.
      names.sort((a, b) => Number(a === "state.json") - Number(b === "state.json"));
      const temps: string[] = [];
      try {
        for (const name of names) temps.push(await writeTemp(dir, name, files[name] ?? ""));
        for (const [i, name] of names.entries()) {
          await fs.rename(temps[i] as string, path.join(dir, name));
        }
      } catch (error) {
        await Promise.all(temps.map((temp) => fs.rm(temp, { force: true })));
        throw error;
      }
    },

    async describe(id: string) {
      return specDir(id);
    },

    async writeRun(id, runId, record) {
      if (!/^[\w.-]+$/.test(runId)) throw new Error(`invalid run id ${JSON.stringify(runId)}`);
      const dir = specDir(id);
      if (!(await isRealDirectory(speDir)) || !(await isRealDirectory(dir))) {
        throw workFailed(`spec ${id} does not exist in ${speDir}`);
      }
      const runs = path.join(dir, "runs");
      if (!(await isRealDirectory(runs))) await fs.mkdir(runs);
      await fs.rename(
        await writeTemp(runs, `${runId}.json`, record),
        path.join(runs, `${runId}.json`),
      );
    },
  };
}
