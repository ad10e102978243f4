import { describe, expect, it } from "vitest";
import { renderHaproxyConfig, sha512Crypt } from "../../components/haproxy";
import { DEFAULT_LAB_SETTINGS, labHaproxyConfig, planLabTopology } from "../../components/lab";
import { localAddress, localizeHaproxyConfig } from "../../components/lab/localize";
import { haproxyCheck } from "../helpers/haproxy";

const topology = planLabTopology(DEFAULT_LAB_SETTINGS);
const model = labHaproxyConfig(topology, { user: "admin", passwordHash: sha512Crypt("pw", "saltsalt") });
const placement = { loopbackNet: "127.0.1", port: 8080 };
const local = localizeHaproxyConfig(model, topology, placement, { runDir: "/tmp/lab/run/haproxy" });

/** Everything but what localization may change, for comparison. */
function withoutPlacement(config: typeof model): unknown {
  return {
    ...config,
    global: { ...config.global, chroot: undefined, user: undefined, group: undefined, daemon: undefined, log: undefined, pidfile: undefined, statsSockets: undefined },
    frontends: config.frontends.map((f) => ({ ...f, binds: f.binds.map((b) => ({ ...b, address: undefined, port: undefined })) })),
    backends: config.backends.map((b) => ({ ...b, servers: b.servers.map((s) => ({ ...s, address: undefined, port: undefined, source: undefined })) })),
  };
}

describe("localizing the lab's HAProxy config", () => {
  it("maps each host to the same last octet in the loopback /24", () => {
    expect(localAddress("192.168.1.21", placement)).toBe("127.0.1.21");
    expect(() => localAddress("192.168.1.21", { loopbackNet: "10.0.0", port: 1 })).toThrow(/loopback/);
  });

  it("moves binds, servers and source to loopback and the local port", () => {
    expect(local.frontends[0].binds).toEqual([{ address: "127.0.1.20", port: 8080 }]);
    expect(local.backends.flatMap((b) => b.servers.map((s) => [s.name, s.address, s.port, s.source]))).toEqual([
      ["backend1", "127.0.1.21", 8080, "127.0.1.20"],
      ["backend2", "127.0.1.22", 8080, "127.0.1.20"],
      ["backend3", "127.0.1.23", 8080, "127.0.1.20"],
    ]);
  });

  it("runs without chroot or user switch, with its pid file and stats socket in the run directory", () => {
    expect(local.global).not.toHaveProperty("chroot");
    expect(local.global).not.toHaveProperty("user");
    expect(local.global).not.toHaveProperty("daemon");
    expect(local.global.pidfile).toBe("/tmp/lab/run/haproxy/haproxy.pid");
    expect(local.global.statsSockets).toEqual([{ path: "/tmp/lab/run/haproxy/admin.sock", mode: "600", level: "admin", exposeFdListeners: true }]);
  });

  it("changes nothing else: balance, weights, cookies, checks, ACLs, timeouts and stats stay", () => {
    expect(withoutPlacement(local)).toEqual(withoutPlacement(model));
  });

  it("produces a config the real haproxy accepts", async () => {
    const result = await haproxyCheck(renderHaproxyConfig(local));
    expect(result.ok, result.output).toBe(true);
  });
});
