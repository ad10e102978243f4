/**
 * The one function that turns the lab's HAProxy model (addresses of the VPC subnet, port 80,
 * Debian's chroot and user) into the local lab's (loopback addresses, the local port, the lab's
 * run directory, the invoking user). Pure. Nothing else changes: balance, weights, cookies,
 * checks, ACLs, timeouts and stats are exactly what the VMs run.
 */
import type { BackendSection, Bind, FrontendSection, GlobalSection, HaproxyConfig, Server } from "../haproxy/model";
import { parseIpv4 } from "./ipv4";
import type { LabTopology } from "./types";

export interface LocalPlacement {
  /** The loopback /24 the hosts are mapped into, e.g. "127.0.1" (192.168.1.21 → 127.0.1.21). */
  readonly loopbackNet: string;
  /** Port every local host listens on (each host has its own address, so one port fits all). */
  readonly port: number;
}

export interface LocalHaproxyPaths {
  /** Directory for the pid file and the stats socket. */
  readonly runDir: string;
  /** No request log (benchmarks: the peer they are compared with logs nothing either). */
  readonly quiet?: boolean;
}

const LOOPBACK_NET = /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;

export function isLoopbackNet(value: string): boolean {
  return LOOPBACK_NET.test(value);
}

/** A lab address's local twin: same last octet, in the loopback /24. */
export function localAddress(privateIp: string, placement: LocalPlacement): string {
  const value = parseIpv4(privateIp);
  if (value === undefined) throw new Error(`${privateIp} is not an IPv4 address`);
  if (!isLoopbackNet(placement.loopbackNet)) throw new Error(`${placement.loopbackNet} is not a loopback /24 such as 127.0.1`);
  const last = value % 256;
  return `${placement.loopbackNet}.${last}`;
}

/** Host name → local address, for every host of the topology. */
export function localAddresses(topology: LabTopology, placement: LocalPlacement): Record<string, string> {
  return Object.fromEntries(topology.hosts.map((host) => [host.name, localAddress(host.privateIp, placement)]));
}

/**
 * The local lab's HaproxyConfig: binds and servers move to loopback and the local port, `source`
 * follows the frontend, the process runs as the invoking user without chroot (no root needed),
 * in the foreground under the lab's supervisor (logs to stdout), with its pid file and stats
 * socket in the run directory (exposing listeners, so a reload is seamless).
 */
export function localizeHaproxyConfig(config: HaproxyConfig, topology: LabTopology, placement: LocalPlacement, paths: LocalHaproxyPaths): HaproxyConfig {
  const mapped = new Map(topology.hosts.map((host) => [host.privateIp, localAddress(host.privateIp, placement)]));
  const address = (value: string): string => mapped.get(value) ?? value;
  const server = (s: Server): Server => ({
    ...s,
    address: address(s.address),
    ...(s.port !== undefined ? { port: placement.port } : {}),
    ...(s.source !== undefined ? { source: address(s.source) } : {}),
  });
  const bind = (b: Bind): Bind => ({ ...b, ...(b.address !== undefined && b.address !== "*" ? { address: address(b.address) } : {}), port: placement.port });
  const { chroot: _chroot, user: _user, group: _group, daemon: _daemon, ...global } = config.global;
  const localGlobal: GlobalSection = {
    ...global,
    log: paths.quiet ? [] : [{ target: "stdout", facility: "local0" }],
    pidfile: `${paths.runDir}/haproxy.pid`,
    statsSockets: [{ path: `${paths.runDir}/admin.sock`, mode: "600", level: "admin", exposeFdListeners: true }],
  };
  return {
    ...config,
    global: localGlobal,
    frontends: config.frontends.map((f: FrontendSection) => ({ ...f, binds: f.binds.map(bind) })),
    backends: config.backends.map((b: BackendSection) => ({ ...b, servers: b.servers.map(server) })),
    ...(config.listens ? { listens: config.listens.map((l) => ({ ...l, binds: l.binds.map(bind), servers: l.servers.map(server) })) } : {}),
  };
}
