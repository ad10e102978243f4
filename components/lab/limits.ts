/**
 * HAProxy's global maxconn, derived from what the host can hold instead of the seed's constant
 * 4096 (pure).
 *
 * Two limits bind a proxy: file descriptors (every proxied connection holds two: client and
 * server) and memory (a busy stream can hold two buffers of tune.bufsize = 16 KiB plus ~1 KiB of
 * state; idle keep-alive connections cost far less, ~1.5 kB measured, so sizing for busy streams
 * is the safe side). We give HAProxy half of the host's memory: on the lab's frontend it shares
 * the VM with nothing else but the OS, and on a laptop it shares it with the whole lab.
 */

export interface HostLimits {
  /** Memory of the host (or the share HAProxy may use), in MiB. */
  readonly memoryMiB: number;
  /**
   * The hard RLIMIT_NOFILE HAProxy will run under. Started as root, HAProxy raises its own soft
   * limit up to this; systemd's default hard limit is 524288.
   */
  readonly nofileHardLimit: number;
}

/** Bytes a busy stream may hold: two 16 KiB buffers plus session/stream/connection state. */
export const BYTES_PER_BUSY_CONNECTION = 2 * 16 * 1024 + 1024;
/** File descriptors HAProxy keeps for listeners, logs, checks and the stats socket. */
export const RESERVED_FDS = 200;
export const MIN_MAXCONN = 256;
export const MAX_MAXCONN = 1_000_000;

export function deriveMaxconn(limits: HostLimits): number {
  const byMemory = Math.floor((limits.memoryMiB * 1024 * 1024 * 0.5) / BYTES_PER_BUSY_CONNECTION);
  const byFds = Math.floor((limits.nofileHardLimit - RESERVED_FDS) / 2);
  return Math.max(MIN_MAXCONN, Math.min(MAX_MAXCONN, byMemory, byFds));
}

/**
 * Memory of the EC2 instance types a lab is likely to use, in MiB (AWS's published sizes).
 * Types not listed fall back to the smallest plausible size, with a warning from the caller.
 */
export const EC2_INSTANCE_MEMORY_MIB: Readonly<Record<string, number>> = {
  "t2.nano": 512, "t2.micro": 1024, "t2.small": 2048, "t2.medium": 4096, "t2.large": 8192,
  "t3.nano": 512, "t3.micro": 1024, "t3.small": 2048, "t3.medium": 4096, "t3.large": 8192, "t3.xlarge": 16384,
  "t3a.nano": 512, "t3a.micro": 1024, "t3a.small": 2048, "t3a.medium": 4096, "t3a.large": 8192,
  "t4g.nano": 512, "t4g.micro": 1024, "t4g.small": 2048, "t4g.medium": 4096, "t4g.large": 8192,
  "m5.large": 8192, "m6i.large": 8192, "m7i.large": 8192, "m6g.large": 8192, "m7g.large": 8192,
  "c5.large": 4096, "c6i.large": 4096, "c7i.large": 4096, "c6g.large": 4096, "c7g.large": 4096,
};

/** systemd's default hard RLIMIT_NOFILE on Debian 12, which the haproxy unit does not change. */
export const SYSTEMD_NOFILE_HARD_LIMIT = 524_288;

/** maxconn for the frontend VM of a given instance type; `known` is false for unlisted types. */
export function maxconnForInstanceType(instanceType: string): { maxconn: number; known: boolean } {
  const memoryMiB = EC2_INSTANCE_MEMORY_MIB[instanceType];
  return {
    maxconn: deriveMaxconn({ memoryMiB: memoryMiB ?? 512, nofileHardLimit: SYSTEMD_NOFILE_HARD_LIMIT }),
    known: memoryMiB !== undefined,
  };
}

/**
 * Apache's prefork pool, written by cloud-init into every backend's haproxy-lab.conf (read after
 * Debian's mpm_prefork.conf, so these win) and run as-is by the local lab. It binds the web
 * backends: mod_php makes Debian switch Apache to prefork, where every open connection, idle
 * keep-alive included, holds a child. (The static VM keeps Debian's event MPM, which ignores the
 * block and parks idle connections without a worker.) Debian's prefork defaults (5 children, 150
 * at most) make a burst wait for children forked one by one; 64 mod_php children fit a 1 GiB VM.
 */
export interface ApachePrefork {
  readonly startServers: number;
  readonly minSpareServers: number;
  readonly maxSpareServers: number;
  readonly maxRequestWorkers: number;
}

export const APACHE_PREFORK: ApachePrefork = { startServers: 10, minSpareServers: 10, maxSpareServers: 20, maxRequestWorkers: 64 };

/**
 * The tuned profile's `maxconn` per server: two fewer than the children Apache always keeps
 * (MinSpareServers; it never kills idle children below that, and starts with StartServers >= it).
 * Every server connection HAProxy opens, pooled idle ones included (`http-reuse`), pins a prefork
 * child; a child forked on demand comes late (prefork forks 1, 2, 4 … per second), and a health
 * check queued behind pinned children in the listen backlog times out and takes a healthy server
 * DOWN. Measured with a 4 s burst of 50 keep-alive clients on a fresh lab: no cap opened 56 of 64
 * children, a cap of 32 (half of MaxRequestWorkers) still took backend2 DOWN in 3 runs of 3; a cap
 * of 8 took none DOWN and in that burst served prueba.php faster (5,700 vs 5,100 req/s): HAProxy
 * queues the excess (`timeout queue`) instead of Apache's backlog. (On a warmed lab, caps of 8, 32 and
 * none differ by at most ~6 %, within noise.) The two spare
 * children answer the checks and students who query a backend directly.
 */
export function serverMaxconn(prefork: ApachePrefork = APACHE_PREFORK): number {
  return Math.max(1, prefork.minSpareServers - 2);
}
