/**
 * An npm registry stand-in on 127.0.0.1: one package, `tiny@1.0.0` (its tarball made with tar),
 * served at the paths npm asks for; every request is recorded.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";

export interface RegistryStandIn {
  url: string;
  host: string;
  hits: string[];
  /** package.json dependencies and package-lock.json for a project that needs tiny. */
  lockfile(name: string): string;
  close(): Promise<void>;
}

export async function startRegistryStandIn(): Promise<RegistryStandIn> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "spe-registry-"));
  await fs.mkdir(path.join(dir, "package"));
  await fs.writeFile(
    path.join(dir, "package", "package.json"),
    `${JSON.stringify({ name: "tiny", version: "1.0.0", main: "index.js" })}\n`,
  );
  await fs.writeFile(path.join(dir, "package", "index.js"), "module.exports = 42;\n");
  await execa("tar", ["-czf", "tiny-1.0.0.tgz", "package"], { cwd: dir });
  const tarball = await fs.readFile(path.join(dir, "tiny-1.0.0.tgz"));
  await fs.rm(dir, { recursive: true, force: true });
  const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url === "/tiny/-/tiny-1.0.0.tgz") {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(tarball);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    hits,
    lockfile: (name) =>
      `${JSON.stringify(
        {
          name,
          version: "1.0.0",
          lockfileVersion: 3,
          requires: true,
          packages: {
            "": { name, version: "1.0.0", dependencies: { tiny: "1.0.0" } },
            "node_modules/tiny": {
              version: "1.0.0",
              resolved: `${url}/tiny/-/tiny-1.0.0.tgz`,
              integrity,
            },
          },
        },
        null,
        2,
      )}\n`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
