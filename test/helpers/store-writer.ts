/**
 * A separate OS process that writes specs to a repository's notes store:
 *   node --import tsx test/helpers/store-writer.ts <repo dir> <id prefix> <count> <attach to>
 * Used to race writers against each other. Prints the ids it wrote, one a line.
 */
import { openStore } from "../../src/store/open-store.ts";
import { openRepository } from "../../src/workspace.ts";
import { stateJson } from "./store.ts";

const [dir = "", prefix = "", count = "1", attachTo = "HEAD"] = process.argv.slice(2);
const repo = await openRepository({
  cwd: dir,
  env: process.env,
  signal: new AbortController().signal,
});
const store = openStore("notes", repo, { timeoutMs: 60_000 });
for (let i = 1; i <= Number(count); i++) {
  const id = `${prefix}-${i}`;
  const updatedAt = new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
  await store.write(
    id,
    { "AI-SPEC.md": `# ${id}\n`, "state.json": stateJson(id, updatedAt) },
    { attachTo },
  );
  process.stdout.write(`${id}\n`);
}
