/**
 * Host allowlists (`exec.sandbox.network.<use>`): "host" (any port), "host:port",
 * "*.example.com" (the domain's subdomains, not the domain itself), "[::1]:8080", or "*" (any
 * host). Names compare case-insensitively; nothing is resolved, so an allowed name cannot be
 * reached through an address that happens to point at it.
 */

function splitPattern(pattern: string): { host: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(pattern);
  if (bracketed)
    return {
      host: (bracketed[1] ?? "").toLowerCase(),
      port: bracketed[2] ? Number(bracketed[2]) : undefined,
    };
  const colon = pattern.lastIndexOf(":");
  if (colon > 0 && /^\d+$/.test(pattern.slice(colon + 1)))
    return { host: pattern.slice(0, colon).toLowerCase(), port: Number(pattern.slice(colon + 1)) };
  return { host: pattern.toLowerCase(), port: undefined };
}

export function hostAllowed(patterns: readonly string[], host: string, port: number): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((pattern) => {
    if (pattern === "*") return true;
    const p = splitPattern(pattern);
    if (p.port !== undefined && p.port !== port) return false;
    if (p.host.startsWith("*.")) return name.endsWith(p.host.slice(1));
    return name === p.host;
  });
}

/** "host:port" of a base URL (default ports filled in), for an agent CLI's allowlist. */
export function urlHost(url: string): string | undefined {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === "https:" ? "443" : "80");
    return `${u.hostname}:${port}`;
  } catch {
    return undefined;
  }
}

/**
 * Addresses on this machine or its private networks: loopback, unspecified, link-local (cloud
 * metadata at 169.254.169.254), RFC 1918, CGNAT, IPv6 unique-local, IPv4-mapped forms of these.
 */
export function isPrivateAddress(address: string): boolean {
  const ip = address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, "");
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  return ip === "::" || ip === "::1" || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip);
}

/** Whether a pattern names `address` itself (only then may a private address be reached). */
export function namesAddress(patterns: readonly string[], address: string, port: number): boolean {
  return patterns.some((pattern) => {
    if (pattern === "*" || pattern.startsWith("*.")) return false;
    return hostAllowed([pattern], address, port);
  });
}
