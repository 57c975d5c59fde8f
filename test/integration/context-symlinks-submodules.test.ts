import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pack, paths } from "../helpers/context.ts";
import { createGitRepo, withGitRepo } from "../helpers/git-repo.ts";

describe("context: symlinks and submodules", () => {
  it("lists symlinks (inside or pointing outside the repository) without following them", async () => {
    await withGitRepo(async (repo) => {
      const outside = path.join(path.dirname(repo.dir), `${path.basename(repo.dir)}-outside.txt`);
      await fs.writeFile(outside, "OUTSIDE-SECRET-CONTENT\n");
      try {
        await repo.write("real.txt", "real\n");
        await fs.symlink(outside, repo.path("escape.txt"));
        await fs.symlink("real.txt", repo.path("alias.txt"));
        await repo.git(["add", "-A"]);
        await repo.git(["commit", "-q", "-m", "links"]);
        const result = await pack(repo);
        expect(paths(result)).toEqual(["README.md", "real.txt"]);
        expect(result.skipped).toEqual(
          expect.arrayContaining([
            { path: "escape.txt", reason: "symlink", detail: `→ ${outside}` },
            { path: "alias.txt", reason: "symlink", detail: "→ real.txt" },
          ]),
        );
        for (const format of ["xml", "markdown", "json"] as const) {
          expect((await pack(repo, { format })).output).not.toContain("OUTSIDE-SECRET-CONTENT");
        }
        // Named explicitly, a symlink is still not followed.
        const explicit = await pack(repo, { stdin: true }, { stdin: "escape.txt\n" });
        expect(explicit.files).toEqual([]);
      } finally {
        await fs.rm(outside, { force: true });
      }
    });
  });

  it("does not read through a directory that was replaced by a symlink pointing outside", async () => {
    await withGitRepo(async (repo) => {
      const outside = await fs.mkdtemp(path.join(path.dirname(repo.dir), "spe-outside-"));
      try {
        await fs.writeFile(path.join(outside, "secret.txt"), "OUTSIDE-THROUGH-DIR\n");
        await repo.commit("lib", { "lib/secret.txt": "tracked copy\n" });
        await fs.rm(repo.path("lib"), { recursive: true });
        await fs.symlink(outside, repo.path("lib"));
        const result = await pack(repo);
        expect(result.skipped).toContainEqual({
          path: "lib/secret.txt",
          reason: "symlink",
          detail: `inside a symlinked directory: lib → ${outside}`,
        });
        expect(result.output).not.toContain("OUTSIDE-THROUGH-DIR");
      } finally {
        await fs.rm(outside, { recursive: true, force: true });
      }
    });
  });

  it("lists a submodule as such", async () => {
    const sub = await createGitRepo();
    try {
      await withGitRepo(async (repo) => {
        await repo.git([
          "-c",
          "protocol.file.allow=always",
          "submodule",
          "add",
          "-q",
          sub.dir,
          "vendor/sub",
        ]);
        await repo.git(["commit", "-q", "-m", "submodule"]);
        const result = await pack(repo);
        expect(result.skipped).toContainEqual({ path: "vendor/sub", reason: "submodule" });
        expect(paths(result)).toEqual([".gitmodules", "README.md"]);
      });
    } finally {
      await fs.rm(sub.dir, { recursive: true, force: true });
    }
  });
});
