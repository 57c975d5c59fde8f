/**
 * The sandbox's only way out to a network: an HTTP proxy on a Unix socket, outside the
 * sandbox, that lets through only the hosts a use allows. Inside (own network namespace, just a
 * loopback), a bridge listens on 127.0.0.1 and forwards to the socket; HTTP_PROXY/HTTPS_PROXY
 * point at the bridge. `CONNECT host:port` (HTTPS, and anything tunnelled) and absolute-form
 * requests (`GET http://host:port/…`, plain HTTP) are served; a host not on the list gets a
 * 403 whose body says why, and is reported to `onDenied`.
 */
import dns from "node:dns/promises";
import http from "node:http";
import net from "node:net";
import { isPrivateAddress } from "./hosts.ts";

export interface ProxyOptions {
  socketPath: string;
  allows(host: string, port: number): boolean;
  /**
   * Whether a private address (loopback, link-local, RFC 1918) may be reached: only when the
   * allowlist names it, never through a name or a wildcard (DNS rebinding, `*`).
   */
  allowsPrivate(address: string, port: number): boolean;
  onDenied?(target: string): void;
  /** Name resolution (default: the system's); tests and the address check use it. */
  lookup?(host: string): Promise<string>;
}

/**
 * The address to connect to for an allowed host, or undefined when it resolves to a private
 * address the allowlist does not name. The connection then goes to this address, so a name
 * cannot resolve to something else between the check and the connect.
 */
async function resolveAllowed(
  options: ProxyOptions,
  host: string,
  port: number,
): Promise<string | undefined> {
  const address = net.isIP(host)
    ? host
    : await (options.lookup ?? ((h: string) => dns.lookup(h).then((r) => r.address)))(host).catch(
        () => undefined,
      );
  if (!address) return undefined;
  if (isPrivateAddress(address) && !options.allowsPrivate(address, port)) return undefined;
  return address;
}

export interface RunningProxy {
  close(): Promise<void>;
}

/** `host:port` of a CONNECT request (IPv6 in brackets); undefined when malformed. */
export function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(authority);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: (match[1] ?? match[2] ?? "").toLowerCase(), port };
}

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "proxy-authenticate",
  "te",
  "trailer",
  "upgrade",
]);

function deniedText(target: string): string {
  return `git spe sandbox: network access to ${target} is not allowed (exec.sandbox.network)\n`;
}

export async function startAllowlistProxy(options: ProxyOptions): Promise<RunningProxy> {
  const sockets = new Set<net.Socket>();
  const deny = (target: string) => {
    options.onDenied?.(target);
    return deniedText(target);
  };
  const server = http.createServer(async (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      res
        .writeHead(400, { "content-type": "text/plain" })
        .end("git spe sandbox: not a proxy request\n");
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const port = Number(url.port || 80);
    const address =
      url.protocol === "http:" && options.allows(host, port)
        ? await resolveAllowed(options, host, port)
        : undefined;
    if (!address) {
      res.writeHead(403, { "content-type": "text/plain" }).end(deny(`${host}:${port}`));
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers))
      if (!hopByHop.has(name)) headers[name] = value;
    const upstream = http.request(
      // No shared agent: every upstream connection is this request's, and ends with it.
      {
        host: address,
        port,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers,
        agent: false,
      },
      (answer) => {
        const back: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers))
          if (!hopByHop.has(name)) back[name] = value;
        res.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(res);
      },
    );
    upstream.on("socket", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    // The command inside went away (killed at a timeout): so does its request upstream, or a
    // server that never answers would hold this process open until it did.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on("error", (error) => {
      if (res.destroyed) return;
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`git spe sandbox: ${host}:${port}: ${error.message}\n`);
    });
    req.pipe(upstream);
  });
  server.on("connect", async (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    const target = parseAuthority(req.url ?? "");
    const address =
      target && options.allows(target.host, target.port)
        ? await resolveAllowed(options, target.host, target.port)
        : undefined;
    if (!target || !address) {
      const body = deny(req.url ?? "(none)");
      client.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    let established = false;
    const upstream = net.connect(target.port, address, () => {
      established = true;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", (error) => {
      if (!established && client.writable)
        client.end(`HTTP/1.1 502 Bad Gateway\r\n\r\ngit spe sandbox: ${error.message}\n`);
      else client.destroy();
    });
  });
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socketPath, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
