/** A service on 127.0.0.1 that nothing sandboxed may reach: it records every request. */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CanaryServer {
  port: number;
  hits: string[];
  close(): Promise<void>;
}

export async function startCanaryServer(): Promise<CanaryServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end("canary\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A shell command that GETs `url` through $HTTP_PROXY with node's http (an absolute-form
 * request, as npm or curl send): prints the status and body, or the error code and exits 1.
 */
export const proxiedGetCommand = (url: string): string =>
  `node -e 'const p = new URL(process.env.HTTP_PROXY); require("node:http").get({ host: p.hostname, port: p.port, path: ${JSON.stringify(url)} }, (r) => { let b = ""; r.on("data", (c) => (b += c)); r.on("end", () => console.log(r.statusCode, b.trim())); }).on("error", (e) => { console.error(e.code); process.exit(1); })'`;
