/**
 * The sandbox's pure parts: the bwrap argv (mount order decides what is visible and writable),
 * host allowlists, the environment allowlist, and CONNECT authorities.
 */
import { describe, expect, it } from "vitest";
import { isScrubbedVariable } from "../../src/agent/command-env.ts";
import { sandboxEnvironment } from "../../src/sandbox/environment.ts";
import { hostAllowed, isPrivateAddress, namesAddress, urlHost } from "../../src/sandbox/hosts.ts";
import { bwrapArgs, isInside, type SandboxMounts } from "../../src/sandbox/policy.ts";
import { parseAuthority } from "../../src/sandbox/proxy.ts";

const mounts = (over: Partial<SandboxMounts> = {}): SandboxMounts => ({
  worktree: "/home/me/project/.git/spe/worktrees/x",
  worktreeReadOnly: ["/home/me/project/.git/spe/worktrees/x/.git"],
  commonDir: "/home/me/project/.git",
  toplevel: "/home/me/project",
  otherCheckouts: [],
  home: "/home/me",
  scratchHome: "/tmp/s/home",
  scratchTmp: "/tmp/s/tmp",
  emptyFile: "/tmp/s/empty",
  hidden: ["/home", "/run"],
  readOnly: ["/home/me/.pyenv"],
  writable: ["/home/me/.npm"],
  files: [],
  sockets: [],
  ...over,
});

/** The mount operations in order, as "op target". */
function ops(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--tmpfs" || a === "--remount-ro" || a === "--chdir") out.push(`${a} ${args[++i]}`);
    else if (a === "--bind" || a === "--ro-bind") {
      out.push(`${a} ${args[i + 2]}`);
      i += 2;
    }
  }
  return out;
}

describe("bwrapArgs", () => {
  it("drops every capability and unshares users, PIDs, network, IPC and UTS", () => {
    const args = bwrapArgs(mounts(), "/w");
    for (const flag of [
      "--unshare-user",
      "--unshare-pid",
      "--unshare-net",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
    ])
      expect(args).toContain(flag);
    expect(args.join(" ")).toContain("--cap-drop ALL");
  });

  it("with an alias, shows the worktree there too (its .git file read-only) and starts there", () => {
    const m = mounts({ worktreeAlias: "/tmp/git-spe-worktree" });
    const order = ops(bwrapArgs(m, `${m.worktree}/src`));
    const at = order.indexOf("--bind /tmp/git-spe-worktree");
    expect(at).toBeGreaterThan(order.indexOf(`--bind ${m.worktree}`));
    expect(order.slice(at, at + 2)).toEqual([
      "--bind /tmp/git-spe-worktree",
      "--ro-bind /tmp/git-spe-worktree/.git",
    ]);
    expect(order.at(-1)).toBe("--chdir /tmp/git-spe-worktree/src");
    expect(ops(bwrapArgs(mounts(), mounts().worktree)).at(-1)).toBe(`--chdir ${m.worktree}`);
  });

  it("hides the checkout under the home, mounts the git dir read-only and the worktree writable on top", () => {
    const order = ops(bwrapArgs(mounts(), mounts().worktree));
    const at = (op: string) => {
      const i = order.indexOf(op);
      expect(i, op).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at("--ro-bind /")).toBe(0);
    expect(at("--bind /tmp")).toBeLessThan(at("--tmpfs /home"));
    expect(at("--tmpfs /home")).toBeLessThan(at("--bind /home/me"));
    // The checkout lies inside $HOME: covered after the scratch home is bound, or it would
    // vanish under it and stay writable there.
    expect(at("--bind /home/me")).toBeLessThan(at("--tmpfs /home/me/project"));
    expect(at("--tmpfs /home/me/project")).toBeLessThan(at("--ro-bind /home/me/project/.git"));
    expect(at("--ro-bind /home/me/project/.git")).toBeLessThan(
      at("--bind /home/me/project/.git/spe/worktrees/x"),
    );
    expect(at("--bind /home/me/project/.git/spe/worktrees/x")).toBeLessThan(
      at("--ro-bind /home/me/project/.git/spe/worktrees/x/.git"),
    );
    expect(at("--ro-bind /home/me/.bashrc")).toBeGreaterThan(at("--bind /home/me"));
    expect(at("--tmpfs /home/me/.ssh")).toBeGreaterThan(at("--bind /home/me"));
    expect(at("--ro-bind /home/me/.pyenv")).toBeGreaterThan(at("--ro-bind /home/me/.bashrc"));
    // Covers go read-only last, after everything mounted on them.
    const lastMount = at("--ro-bind /home/me/project/.git/spe/worktrees/x/.git");
    for (const cover of ["/home", "/run", "/home/me/project", "/home/me/.ssh"])
      expect(at(`--remount-ro ${cover}`)).toBeGreaterThan(lastMount);
    expect(order.at(-1)).toBe(`--chdir ${mounts().worktree}`);
  });

  it("binds the home before covering a checkout that contains it, and covers nothing twice", () => {
    const order = ops(
      bwrapArgs(
        mounts({
          toplevel: "/work",
          commonDir: "/work/.git",
          worktree: "/work/.git/spe/worktrees/x",
          home: "/work/home",
          hidden: ["/root"],
          readOnly: [],
          writable: [],
        }),
        "/work/.git/spe/worktrees/x",
      ),
    );
    expect(order.indexOf("--tmpfs /work")).toBeLessThan(order.indexOf("--bind /work/home"));
    expect(order.filter((o) => o === "--tmpfs /work")).toHaveLength(1);
  });

  it("never puts a cover where something is mounted exactly (remount-ro would hit that mount)", () => {
    const order = ops(bwrapArgs(mounts({ home: "/root", hidden: ["/root", "/run"] }), "/w"));
    expect(order).not.toContain("--tmpfs /root");
    expect(order).not.toContain("--remount-ro /root");
  });
});

describe("hostAllowed", () => {
  it("matches names, ports, subdomains and *", () => {
    expect(hostAllowed(["registry.npmjs.org"], "registry.npmjs.org", 443)).toBe(true);
    expect(hostAllowed(["registry.npmjs.org"], "REGISTRY.npmjs.org.", 80)).toBe(true);
    expect(hostAllowed(["registry.npmjs.org"], "evil.registry.npmjs.org", 443)).toBe(false);
    expect(hostAllowed(["127.0.0.1:4873"], "127.0.0.1", 4873)).toBe(true);
    expect(hostAllowed(["127.0.0.1:4873"], "127.0.0.1", 22)).toBe(false);
    expect(hostAllowed(["*.example.com"], "a.example.com", 443)).toBe(true);
    expect(hostAllowed(["*.example.com"], "example.com", 443)).toBe(false);
    expect(hostAllowed(["*.example.com"], "badexample.com", 443)).toBe(false);
    expect(hostAllowed(["[::1]:8080"], "::1", 8080)).toBe(true);
    expect(hostAllowed(["*"], "anything.example", 1)).toBe(true);
    expect(hostAllowed([], "registry.npmjs.org", 443)).toBe(false);
  });

  it("tells private addresses, reachable only when a pattern names the address itself", () => {
    for (const ip of [
      "127.0.0.1",
      "127.9.9.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of [
      "8.8.8.8",
      "172.32.0.1",
      "172.15.0.1",
      "100.128.0.1",
      "2606:4700::1111",
      "::ffff:8.8.8.8",
    ])
      expect(isPrivateAddress(ip), ip).toBe(false);
    expect(namesAddress(["127.0.0.1:4873"], "127.0.0.1", 4873)).toBe(true);
    expect(namesAddress(["127.0.0.1:4873"], "127.0.0.1", 22)).toBe(false);
    expect(namesAddress(["*"], "127.0.0.1", 80)).toBe(false);
    expect(namesAddress(["localhost"], "127.0.0.1", 80)).toBe(false);
  });

  it("turns a base URL into host:port", () => {
    expect(urlHost("https://api.anthropic.com")).toBe("api.anthropic.com:443");
    expect(urlHost("http://127.0.0.1:8080/v1")).toBe("127.0.0.1:8080");
    expect(urlHost("not a url")).toBeUndefined();
  });
});

describe("sandboxEnvironment", () => {
  it("keeps only the allowlist and the listed names, never a key", () => {
    const env = sandboxEnvironment(
      {
        PATH: "/usr/bin",
        LANG: "C.UTF-8",
        LC_ALL: "C",
        HOME: "/home/me",
        ANTHROPIC_API_KEY: "k",
        GITHUB_TOKEN: "t",
        SSH_AUTH_SOCK: "/tmp/agent",
        GIT_DIR: "/x",
        NODE_OPTIONS: "--require evil",
        MY_SETTING: "v",
        NPM_TOKEN: "t",
      },
      {
        home: "/home/me",
        extraNames: ["MY_SETTING", "NPM_TOKEN"],
        isSecret: (name) => isScrubbedVariable(name, new Set()),
      },
    );
    expect(env).toEqual({
      PATH: "/usr/bin",
      LANG: "C.UTF-8",
      LC_ALL: "C",
      HOME: "/home/me",
      TMPDIR: "/tmp",
      GIT_TERMINAL_PROMPT: "0",
      MY_SETTING: "v",
    });
  });
});

describe("parseAuthority and isInside", () => {
  it("parses CONNECT targets and refuses malformed ones", () => {
    expect(parseAuthority("example.com:443")).toEqual({ host: "example.com", port: 443 });
    expect(parseAuthority("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    expect(parseAuthority("example.com")).toBeUndefined();
    expect(parseAuthority("example.com:99999")).toBeUndefined();
    expect(parseAuthority("a b:1")).toBeUndefined();
  });

  it("compares whole path components", () => {
    expect(isInside("/a/b", "/a")).toBe(true);
    expect(isInside("/a", "/a")).toBe(true);
    expect(isInside("/ab", "/a")).toBe(false);
    expect(isInside("/x", "/")).toBe(true);
  });
});
