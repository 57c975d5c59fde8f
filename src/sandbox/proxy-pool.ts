/** One allowlist proxy per distinct host list of a sandbox, each on a socket in its private dir. */
import path from "node:path";
import { hostAllowed, namesAddress } from "./hosts.ts";
import { type RunningProxy, startAllowlistProxy } from "./proxy.ts";

export interface ProxyPool {
  /** The socket of the proxy for `hosts`, started on first use. */
  socketFor(hosts: readonly string[]): Promise<string>;
  /** Hosts refused since the last call. */
  takeDenied(): string[];
  close(): Promise<void>;
}

export function createProxyPool(dir: string): ProxyPool {
  const proxies = new Map<string, Promise<{ socket: string; proxy: RunningProxy }>>();
  let denied: string[] = [];
  return {
    async socketFor(hosts) {
      const key = [...hosts].sort().join(" ");
      let entry = proxies.get(key);
      if (!entry) {
        const socket = path.join(dir, `proxy-${proxies.size}.sock`);
        entry = startAllowlistProxy({
          socketPath: socket,
          allows: (host, port) => hostAllowed(hosts, host, port),
          allowsPrivate: (address, port) => namesAddress(hosts, address, port),
          onDenied: (target) => denied.push(target),
        }).then((proxy) => ({ socket, proxy }));
        proxies.set(key, entry);
      }
      return (await entry).socket;
    },
    takeDenied() {
      const out = denied;
      denied = [];
      return out;
    },
    async close() {
      for (const entry of proxies.values()) await (await entry).proxy.close().catch(() => {});
      proxies.clear();
    },
  };
}
