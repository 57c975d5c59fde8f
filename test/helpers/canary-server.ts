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
