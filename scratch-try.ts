import { startMockModelServer, mockReply } from "./src/mock-model/server.ts";
import { execa } from "execa";
import fs from "node:fs";
const wt = "/tmp/cl/repo/.git/spe/wt";
fs.writeFileSync(`${wt}/src/a.js`, "one\n");
const server = await startMockModelServer();
server.reply("anthropic", mockReply.toolCall("Read", { file_path: `${wt}/src/a.js` }), mockReply.toolCall("Edit", { file_path: `${wt}/src/a.js`, old_string: "one", new_string: "two" }), mockReply.text("ok"));
const r = await execa("/work/main/node_modules/.bin/claude", ["-p", "x", "--output-format", "stream-json", "--verbose", ...process.argv.slice(2)], { reject: false, cwd: wt, stdin: "ignore", extendEnv: false,
  env: { PATH: process.env.PATH, HOME: "/tmp/cl", ANTHROPIC_API_KEY: "sk-ant-test-000", ANTHROPIC_BASE_URL: server.url, DISABLE_TELEMETRY: "1", DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" }, timeout: 60000 });
console.log("stderr", r.stderr.slice(0,300)); console.log("exit", r.exitCode, "file:", fs.readFileSync(`${wt}/src/a.js`, "utf8").trim());
for (const q of server.requestsTo("anthropic").slice(1)) console.log(JSON.stringify((q.body as any).messages.at(-1).content).slice(0, 300));
await server.close();
