import pkg from "../package.json" with { type: "json" };

export const version: string = pkg.version;

/** Set by scripts/build.mjs: a hash of the sources the bundle was built from. */
declare const __SPE_BUILD_ID__: string | undefined;

/**
 * The code that is running: the version and, in a build, a hash of its sources. Stored output
 * that depends on the code (reused packs) is keyed by it, so a rebuild never reuses stale output.
 */
export const buildId: string = `${pkg.version}+${typeof __SPE_BUILD_ID__ === "string" ? __SPE_BUILD_ID__ : "source"}`;
