/**
 * The program that runs first inside a sandbox with network hosts allowed: it listens on
 * 127.0.0.1:<port> in the sandbox's own network namespace, forwards every connection to the
 * proxy's Unix socket (bound in from outside), and runs the real command as its child with the
 * same stdio (fd 3 included when open), exiting as the child did. Written out as plain
 * JavaScript at sandbox creation (it must run under the bare `node`, also from sources).
 */
export const bridgePort = 47_128;

export const bridgeScript = `import net from "node:net";
import fs from "node:fs";
import { spawn } from "node:child_process";
const [port, socketPath, ...argv] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  client.pipe(upstream);
  upstream.pipe(client);
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
});
let fd3 = "ignore";
try {
  fs.fstatSync(3);
  fd3 = "inherit";
} catch {}
server.listen(Number(port), "127.0.0.1", () => {
  const child = spawn(argv[0], argv.slice(1), { stdio: ["inherit", "inherit", "inherit", fd3] });
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"])
    process.on(signal, () => child.kill(signal));
  child.on("error", (error) => {
    process.stderr.write(\`\${argv[0]}: \${error.message}\\n\`);
    process.exit(127);
  });
  child.on("exit", (code, signal) => {
    server.close();
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
});
`;
