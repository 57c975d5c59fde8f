import { describe, expect, it } from "vitest";
import { choosePackageManager } from "git-spe/plugins/node";

describe("node plugin: package manager", () => {
  it.each([
    ["package-lock.json", "npm", "npm ci --no-audit --no-fund", "npm run lint"],
    ["npm-shrinkwrap.json", "npm", "npm ci --no-audit --no-fund", "npm run lint"],
    ["pnpm-lock.yaml", "pnpm", "pnpm install --frozen-lockfile", "pnpm run lint"],
    ["yarn.lock", "yarn", "yarn install --frozen-lockfile", "yarn run lint"],
    ["bun.lock", "bun", "bun install --frozen-lockfile", "bun run lint"],
    ["bun.lockb", "bun", "bun install --frozen-lockfile", "bun run lint"],
  ])("%s → %s", (lockfile, name, install, lint) => {
    const pm = choosePackageManager(["package.json", lockfile, "src"]);
    expect(pm).toMatchObject({ name, lockfile, install });
    expect(pm.run("lint")).toBe(lint);
  });

  it("runs npm's test script as npm test", () => {
    expect(choosePackageManager(["package-lock.json"]).run("test")).toBe("npm test");
    expect(choosePackageManager(["yarn.lock"]).run("test")).toBe("yarn run test");
  });

  it("prefers the packageManager field, with its own lockfile when there is one", () => {
    expect(
      choosePackageManager(["package-lock.json", "pnpm-lock.yaml"], "pnpm@9.1.0"),
    ).toMatchObject({ name: "pnpm", lockfile: "pnpm-lock.yaml" });
    expect(choosePackageManager([], "yarn@4.0.0")).toMatchObject({
      name: "yarn",
      lockfile: undefined,
    });
    expect(choosePackageManager(["yarn.lock"], "cargo@1")).toMatchObject({ name: "yarn" });
  });

  it("is npm without a lockfile, and says there is none", () => {
    expect(choosePackageManager(["package.json"])).toMatchObject({
      name: "npm",
      lockfile: undefined,
    });
  });
});
