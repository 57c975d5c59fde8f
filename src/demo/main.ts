/**
 * `npm run demo`: the whole workflow on a throwaway repository, offline. A scripted model server
 * on 127.0.0.1 speaks the Anthropic and Gemini wire protocols; the real `git spe` binary (with
 * the real SDKs) talks to it as it would to the real APIs. The demo repository lives in a
 * temporary directory that is removed at the end unless `--keep` is given.
 */
import { execa } from "execa";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMockModelServer, type MockModelServer } from "../mock-model/server.ts";
import {
  execTurns,
  planAnswer,
  planUsage,
  projectFiles,
  request,
  specAnswer,
  specUsage,
} from "./script.ts";

const usage = `usage: npm run demo [-- --keep] [--sandbox-off]

Runs git spe end to end on a throwaway repository against scripted model answers (offline).
  --keep   keep the demo repository and print where it is
  --sandbox-off   run with exec.sandbox: "off" (to compare timings; not advised)`;

interface Demo {
  root: string;
  repo: string;
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  signal: AbortSignal;
  sandboxOff: boolean;
}

const bold = (s: string) =>
  process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[22m` : s;

function say(demo: Pick<Demo, "out">, text: string): void {
  demo.out.write(`${text}\n`);
}

/** Shows and runs one command in the demo repository; its output goes straight to the terminal. */
async function step(
  demo: Demo,
  shown: string,
  file: string,
  args: string[],
  okExitCodes = [0],
): Promise<number> {
  say(demo, `\n${bold(`$ ${shown}`)}`);
  const result = await execa(file, args, {
    cwd: demo.repo,
    env: demo.env,
    extendEnv: false,
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
    reject: false,
    cancelSignal: demo.signal,
  });
  const code = result.exitCode ?? 1;
  if (!okExitCodes.includes(code)) throw new Error(`\`${shown}\` exited ${code}`);
  return code;
}

async function quiet(demo: Demo, file: string, args: string[]): Promise<string> {
  const { stdout } = await execa(file, args, {
    cwd: demo.repo,
    env: demo.env,
    extendEnv: false,
    stdin: "ignore",
    cancelSignal: demo.signal,
  });
  return stdout;
}

/** The environment every demo command runs in: our binary first on PATH, git config isolated. */
async function demoEnv(root: string, server: MockModelServer): Promise<NodeJS.ProcessEnv> {
  const bin = path.join(root, "bin");
  await fs.mkdir(bin);
  const cli = fileURLToPath(new URL("./cli.js", import.meta.url));
  const launcher = path.join(bin, "git-spe");
  await fs.writeFile(
    launcher,
    `#!/bin/sh\nexec '${process.execPath.replaceAll("'", "'\\''")}' '${cli.replaceAll("'", "'\\''")}' "$@"\n`,
  );
  await fs.chmod(launcher, 0o755);
  const gitconfig = path.join(root, "gitconfig");
  await fs.writeFile(
    gitconfig,
    "[user]\n\tname = Demo User\n\temail = demo@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
  );
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Nothing of the caller's git, npm or model setup leaks into the demo.
    if (/^(GIT_|npm_|ANTHROPIC_|GEMINI_|GOOGLE_|OPENAI_|SPE)/.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    ANTHROPIC_API_KEY: "demo-not-a-real-key",
    ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    GEMINI_API_KEY: "demo-not-a-real-key",
    GOOGLE_GEMINI_BASE_URL: server.geminiBaseUrl,
  };
}

function script(server: MockModelServer): void {
  server.reply(
    "gemini",
    { text: JSON.stringify(specAnswer), usage: specUsage },
    { text: JSON.stringify(planAnswer), usage: planUsage },
  );
  server.reply("anthropic", ...execTurns.map((turn) => ({ ...turn, eventDelayMs: 4 })));
  const offScript = (api: string) => () => ({
    status: 500,
    message: `the demo's ${api} script has no answer left: the run asked more than the demo expected`,
  });
  server.handle("gemini", offScript("Gemini"));
  server.handle("anthropic", offScript("Anthropic"));
}

async function writeProject(repo: string): Promise<void> {
  for (const [file, content] of Object.entries(projectFiles)) {
    await fs.mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await fs.writeFile(path.join(repo, file), content);
  }
}

async function configure(repo: string, sandboxOff: boolean): Promise<void> {
  const file = path.join(repo, ".spe.config.ts");
  const text = await fs.readFile(file, "utf8");
  let edited = text.replace("validate: [],", 'validate: ["npm test"],');
  if (edited === text)
    throw new Error("the config git spe init wrote has no `validate: [],` line to fill in");
  // For comparing (bench/sandbox.mjs): the same run with the sandbox off.
  if (sandboxOff)
    edited = edited.replace(/ {4}sandbox: \{[\s\S]*?\n {4}\},\n/, '    sandbox: "off",\n');
  await fs.writeFile(file, edited);
}

async function run(demo: Demo, server: MockModelServer): Promise<void> {
  say(demo, bold("git spe demo"));
  say(
    demo,
    [
      "Every model answer below is scripted: a mock server on 127.0.0.1 speaks the Gemini and",
      "Anthropic APIs to the real SDKs inside git spe. No network, no API keys, no cost; the",
      "repository, the worktree, the validation and the merge are all real.",
      `Demo repository: ${demo.repo}`,
    ].join("\n"),
  );

  await fs.mkdir(demo.repo);
  await writeProject(demo.repo);
  await quiet(demo, "git", ["init", "-q"]);
  await quiet(demo, "git", ["add", "-A"]);
  await quiet(demo, "git", ["commit", "-q", "-m", "slugkit 1.0.0"]);
  await quiet(demo, "git", ["init", "-q", "--bare", path.join(demo.root, "origin.git")]);
  await quiet(demo, "git", ["remote", "add", "origin", path.join(demo.root, "origin.git")]);
  await quiet(demo, "git", ["push", "-q", "-u", "origin", "main"]);
  say(demo, "\nA small package, slugkit, with a test suite and a bug report:");
  await step(demo, "git log --oneline --stat", "git", ["log", "--oneline", "--stat"]);

  await step(demo, "git spe init --store notes", "git", ["spe", "init", "--store", "notes"]);
  say(demo, '\n(the demo sets validate: ["npm test"] in .spe.config.ts and commits the config)');
  await configure(demo.repo, demo.sandboxOff);
  await quiet(demo, "git", ["add", ".spe.config.ts", ".spe/.gitignore", ".speignore"]);
  await quiet(demo, "git", ["commit", "-q", "-m", "Set up git spe"]);

  await step(demo, `git spe run ${JSON.stringify(request)} --yes`, "git", [
    "spe",
    "run",
    request,
    "--yes",
  ]);

  say(demo, "\nEach step is one validated commit, with trailers naming the spec, step and run:");
  await step(demo, "git log --format='%h %s%n%(trailers:only,unfold)' -4", "git", [
    "log",
    "--format=%h %s%n%(trailers:only,unfold)",
    "-4",
  ]);
  await step(demo, "git spe drift", "git", ["spe", "drift"]);
  await step(demo, "git spe status", "git", ["spe", "status"]);
  const id = (
    JSON.parse(await quiet(demo, "git", ["spe", "status", "--json"])) as { specs: { id: string }[] }
  ).specs[0]?.id;
  if (!id) throw new Error("git spe status lists no spec after the run");
  say(
    demo,
    "\nSpec, plan and usage are stored in git notes (refs/notes/spe), not in your tree; each\nstep commit carries the run record as a note too:",
  );
  await step(demo, `git spe status ${id}`, "git", ["spe", "status", id]);

  say(demo, "\nThe merged change:");
  await step(demo, "git diff --stat HEAD~3 HEAD", "git", ["diff", "--stat", "HEAD~3", "HEAD"]);
  await step(demo, "cat src/slugify.js", "cat", ["src/slugify.js"]);

  say(demo, "\nThe pre-push hook refuses a git spe commit whose exact tree was never validated,");
  say(demo, "e.g. after a hand edit amended into the last step:");
  await fs.appendFile(path.join(demo.repo, "src/index.js"), 'export const version = "1.1.0";\n');
  await step(demo, "git commit -q -a --amend --no-edit", "git", [
    "commit",
    "-q",
    "-a",
    "--amend",
    "--no-edit",
  ]);
  await step(demo, "git push origin main", "git", ["push", "origin", "main"], [1]);
  await step(demo, "git spe validate", "git", ["spe", "validate"]);
  await step(demo, "git push origin main", "git", ["push", "origin", "main"]);

  const calls = server.requests.filter((r) => r.api !== undefined);
  say(
    demo,
    [
      "",
      bold("Done."),
      `The scripted server answered ${calls.length} requests from the real SDKs (the costs shown are what`,
      "those token counts would cost at list prices).",
      "",
      "Run it for real in your own repository:",
      "  npm i -g .                   # from this clone: `git spe` now works anywhere",
      "  cd your-project && git spe init && git spe doctor",
      "  export GEMINI_API_KEY=...    # spec and plan (Gemini)",
      "  export ANTHROPIC_API_KEY=... # execution (Claude)",
      '  git spe run "what you want"',
      "Or a local OpenAI-compatible model (Ollama, llama.cpp, vLLM) in .spe.config.ts:",
      '  models: { spec: "openai:qwen2.5-coder", plan: "openai:qwen2.5-coder", exec: "openai:qwen2.5-coder" },',
      '  providers: { openai: { baseUrl: "http://127.0.0.1:11434/v1" } },',
    ].join("\n"),
  );
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const unknown = argv.filter((a) => a !== "--keep" && a !== "--sandbox-off");
  if (unknown.length > 0) {
    process.stderr.write(`error: unknown argument ${unknown[0]} for the demo\n${usage}\n`);
    return 2;
  }
  const keep = argv.includes("--keep");
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "git-spe-demo-")));
  const server = await startMockModelServer();
  script(server);
  const demo: Demo = {
    root,
    repo: path.join(root, "slugkit"),
    env: await demoEnv(root, server),
    out: process.stdout,
    signal: controller.signal,
    sandboxOff: argv.includes("--sandbox-off"),
  };
  const started = Date.now();
  let code = 0;
  try {
    await run(demo, server);
    say(demo, `\nFinished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } catch (error) {
    code = controller.signal.aborted ? 130 : 1;
    process.stderr.write(
      `\ndemo: ${controller.signal.aborted ? "interrupted" : `failed: ${error instanceof Error ? error.message : String(error)}`}\n`,
    );
  } finally {
    await server.close();
    if (keep) {
      say(
        demo,
        `Kept the demo repository: ${demo.repo} (its bare remote: ${path.join(root, "origin.git")})`,
      );
    } else {
      await fs.rm(root, { recursive: true, force: true });
      if (code !== 0)
        process.stderr.write("demo: its repository was removed; npm run demo -- --keep keeps it\n");
    }
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return code;
}
