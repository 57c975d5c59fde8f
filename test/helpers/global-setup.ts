/**
 * The suite needs a working sandbox (bubblewrap): most exec tests run confined, as users do.
 * Without one, stop at once with the fix instead of failing a hundred tests one by one.
 */
import { probeSandbox } from "../../src/sandbox/probe.ts";

export default async function setup(): Promise<void> {
  const probe = await probeSandbox(process.env);
  if (!probe.available)
    throw new Error(`the tests need the sandbox: ${probe.reason}. Fix: ${probe.fix}`);
}
