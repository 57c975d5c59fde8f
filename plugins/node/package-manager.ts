/**
 * Which package manager a Node project uses: the `packageManager` field of package.json when
 * set ("pnpm@9.1.0"), else the lockfile present (npm, pnpm, yarn, bun), else npm. Pure.
 */

export type PackageManagerName = "npm" | "pnpm" | "yarn" | "bun";

export interface PackageManager {
  name: PackageManagerName;
  /** The lockfile found; undefined when there is none. */
  lockfile: string | undefined;
  /** The frozen install: installs exactly what the lockfile says. */
  install: string;
  /** The command that runs a package.json script. */
  run(script: string): string;
}

/** In order of precedence when several are present. */
export const lockfiles: readonly { lockfile: string; name: PackageManagerName }[] = [
  { lockfile: "package-lock.json", name: "npm" },
  { lockfile: "npm-shrinkwrap.json", name: "npm" },
  { lockfile: "pnpm-lock.yaml", name: "pnpm" },
  { lockfile: "yarn.lock", name: "yarn" },
  { lockfile: "bun.lock", name: "bun" },
  { lockfile: "bun.lockb", name: "bun" },
];

const installs: Record<PackageManagerName, string> = {
  npm: "npm ci --no-audit --no-fund",
  pnpm: "pnpm install --frozen-lockfile",
  yarn: "yarn install --frozen-lockfile",
  bun: "bun install --frozen-lockfile",
};

const isName = (value: string): value is PackageManagerName => value in installs;

/** `present`: file names at the project root; `field`: package.json's packageManager. */
export function choosePackageManager(present: readonly string[], field?: unknown): PackageManager {
  const declared = typeof field === "string" ? field.split("@")[0]?.trim() : undefined;
  const found = lockfiles.filter((l) => present.includes(l.lockfile));
  const pick =
    declared && isName(declared)
      ? { name: declared, lockfile: found.find((l) => l.name === declared)?.lockfile }
      : { name: found[0]?.name ?? "npm", lockfile: found[0]?.lockfile };
  const name: PackageManagerName = pick.name;
  return {
    name,
    lockfile: pick.lockfile,
    install: installs[name],
    run: (script) =>
      name === "npm"
        ? script === "test"
          ? "npm test"
          : `npm run ${script}`
        : `${name} run ${script}`,
  };
}

/** The ways a config's `validate` may already spell running `script`. */
export function scriptCommandSpellings(script: string): string[] {
  const shorthand =
    script === "test"
      ? ["npm test", "npm t", "pnpm test", "yarn test"]
      : [`pnpm ${script}`, `yarn ${script}`];
  return [
    ...(["npm", "pnpm", "yarn", "bun"] as const).map((m) => `${m} run ${script}`),
    `npm run-script ${script}`,
    ...shorthand,
  ];
}
