/**
 * `npm i -g` (of the packed files, as `npm i -g .` in the README does: a link) puts git spe far
 * from the user's project: a `.spe.config.ts` that imports
 * "git-spe" must still load although the project has no node_modules/git-spe. The install also
 * links the man page, so `git help spe` (and `git spe --help`, which git turns into it) works.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { projectRoot, withGitRepo, withTempDir } from "../helpers/git-repo.ts";

describe("a global install", () => {
  it(
    "loads a .spe.config.ts that imports git-spe, run as `git spe`",
    { timeout: 120_000 },
    async () => {
      await withTempDir(async (tmp) => {
        const packed = await execa("npm", ["pack", "--silent", "--pack-destination", tmp], {
          cwd: projectRoot,
        });
        const tarball = path.join(tmp, packed.stdout.trim().split("\n").pop() ?? "");
        // The packed files, with the production dependencies taken from this project's
        // node_modules (what the lockfile installed): npm needs neither the registry nor its
        // cache, so this holds on a machine whose npm cache never saw these packages.
        await execa("tar", ["-xzf", tarball, "-C", tmp]);
        const unpacked = path.join(tmp, "package");
        const deps = await execa("npm", ["ls", "--omit=dev", "--parseable", "--all"], {
          cwd: projectRoot,
        });
        for (const dir of deps.stdout.split("\n").slice(1).filter(Boolean))
          await fs.cp(dir, path.join(unpacked, path.relative(projectRoot, dir)), {
            recursive: true,
            verbatimSymlinks: true,
          });
        const prefix = path.join(tmp, "prefix");
        await execa(
          "npm",
          [
            "install",
            "--global",
            "--prefix",
            prefix,
            "--offline",
            "--cache",
            path.join(tmp, "empty-npm-cache"),
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            unpacked,
          ],
          { cwd: tmp },
        );
        const bin = path.join(prefix, "bin");
        expect(await fs.readlink(path.join(bin, "git-spe"))).toMatch(/git-spe\/dist\/cli\.js$/);
        expect(await fs.readdir(path.join(prefix, "share", "man", "man1"))).toEqual(["git-spe.1"]);

        await withGitRepo(async (repo) => {
          await repo.write(
            ".spe.config.ts",
            'import { defineConfig } from "git-spe";\nexport default defineConfig({ store: "notes", validate: ["true"] });\n',
          );
          await expect(fs.access(repo.path("node_modules"))).rejects.toThrow();
          const result = await execa("git", ["spe", "doctor", "--json"], {
            cwd: repo.dir,
            env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` },
            reject: false,
          });
          expect(result.stderr).not.toMatch(/cannot find|Cannot find module/i);
          expect(result.exitCode).toBe(0);
          expect(JSON.parse(result.stdout)).toMatchObject({
            config: { valid: true, store: "notes" },
          });
        });

        const manEnv = {
          PATH: `${bin}${path.delimiter}${process.env.PATH}`,
          MANPATH: path.join(prefix, "share", "man"),
          MANPAGER: "cat",
          PAGER: "cat",
          MANWIDTH: "100",
        };
        for (const args of [
          ["help", "spe"],
          ["spe", "--help"],
        ]) {
          const man = await execa("git", args, { cwd: tmp, env: manEnv, reject: false });
          expect(man.exitCode, man.stderr).toBe(0);
          expect(man.stdout).toMatch(/^GIT-SPE\(1\)/);
          expect(man.stdout).toContain("git spe exec [ID] [--merge ff|merge|squash|none]");
        }
      });
    },
  );
});
