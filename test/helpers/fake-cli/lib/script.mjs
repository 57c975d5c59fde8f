/**
 * The scripted side of the fake agent CLIs: the next invocation from the JSON script named by
 * SPE_FAKE_CLI_SCRIPT (a counter file next to it tracks how many were used), a JSONL log of
 * every invocation in SPE_FAKE_CLI_LOG, stdin, delays and files written relative to cwd.
 */
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Thrown to end the run with `message` on stderr and exit `code`, as a CLI reports an error. */
export class CliExit extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export function fail(message, code = 1) {
  throw new CliExit(message, code);
}

/** Runs a fake CLI's main; its `CliExit` becomes stderr and the exit code. */
export function run(main, argv) {
  main(argv).then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error) => {
      process.stderr.write(`${error instanceof CliExit ? error.message : error.stack}\n`);
      process.exitCode = error instanceof CliExit ? error.code : 1;
    },
  );
}

export async function readStdin() {
  if (process.stdin.isTTY) return "";
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Takes the next scripted invocation, or exits 1 when the script has none left. */
export function nextInvocation(bin) {
  const scriptPath = process.env.SPE_FAKE_CLI_SCRIPT;
  if (!scriptPath) fail(`fake ${bin}: SPE_FAKE_CLI_SCRIPT is not set`, 2);
  const script = JSON.parse(fs.readFileSync(scriptPath, "utf8"));
  const counterPath = `${scriptPath}.count`;
  const index = fs.existsSync(counterPath) ? Number(fs.readFileSync(counterPath, "utf8")) : 0;
  const invocation = script[index];
  if (!invocation) fail(`fake ${bin}: no scripted invocation left (${index} used)`);
  fs.writeFileSync(counterPath, String(index + 1));
  if (invocation.bin && invocation.bin !== bin)
    fail(`fake ${bin}: invocation ${index} is scripted for ${invocation.bin}`, 2);
  return { invocation, index };
}

/** Appends one JSON line to SPE_FAKE_CLI_LOG: what was asked, never a key's value. */
export function logInvocation(entry) {
  const logPath = process.env.SPE_FAKE_CLI_LOG;
  if (!logPath) return;
  const envKeys = Object.keys(process.env)
    .filter((name) => /_(API_KEY|BASE_URL)$/.test(name))
    .sort();
  fs.appendFileSync(logPath, `${JSON.stringify({ ...entry, cwd: process.cwd(), envKeys })}\n`);
}

/**
 * Runs shell commands in cwd, as the real CLI's Bash tool would (in the CLI's own environment
 * and, under git spe, its sandbox); appends what each did to SPE_FAKE_CLI_LOG's entry file.
 */
export function runCommands(commands = []) {
  return commands.map((command) => {
    const result = spawnSync("sh", ["-c", command], { encoding: "utf8", timeout: 20_000 });
    return { command, exitCode: result.status, output: `${result.stdout}${result.stderr}` };
  });
}

/** Writes (string) or deletes (null) files relative to cwd, as an agent editing a worktree. */
export function applyFiles(files = {}) {
  const written = [];
  for (const [relative, content] of Object.entries(files)) {
    const file = path.resolve(process.cwd(), relative);
    if (content === null) fs.rmSync(file, { force: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    written.push({ file, content });
  }
  return written;
}

export async function delay(ms) {
  if (ms) await sleep(ms);
}

/** Parses argv against option tables; unknown options are reported like the real CLI does. */
export function parseArgs(argv, { booleans, values, arrays, aliases = {}, unknown }) {
  const options = {};
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let inline;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq !== -1) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const name = aliases[arg] ?? arg;
    if (booleans.includes(name)) options[name] = true;
    else if (values.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`error: option '${name}' argument missing`);
      options[name] = value;
    } else if (arrays.includes(name)) {
      const list = inline === undefined ? [] : [inline];
      while (inline === undefined && i + 1 < argv.length && !argv[i + 1].startsWith("-"))
        list.push(argv[++i]);
      options[name] = [...(options[name] ?? []), ...list];
    } else unknown(arg);
  }
  return { options, positionals };
}

/** Starts a long-lived child in this process's group, as an agent's tool command would be. */
export function spawnGrandchild() {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 120000)"], {
    stdio: "ignore",
  });
  child.unref();
  return child.pid;
}
