/**
 * The seed's lab as a HAProxy model: one frontend (`haproxy`), a web backend (`servidores`) and a
 * static backend (`servidorestaticos`), the static-files ACL and a stats page, in HAProxy 2.4+
 * syntax. Every option defaults to the tutorial's value; what changed from its 1.4 config:
 * - `contimeout 5000`/`clitimeout 50000`/`srvtimeout 50000` → `timeout connect 5s`/`client 50s`/`server 50s`;
 * - `use_backend servidorestatico` (a backend that does not exist) → `servidorestaticos`;
 * - `path_end .gif .png .png` → `.gif .png`;
 * - `check … inter 10000` → `check inter 10s`;
 * - the stats page moves from `defaults` (where it applied to every proxy) to the frontend, and
 *   its password is a SHA-512 hash in a `userlist` unless the caller asks for the clear text
 *   `stats auth` of the tutorial (an `insecure` password).
 * Pure: no I/O (the default stats hash is computed, with a fixed salt, when first needed).
 */
import type {
  BackendSection,
  Condition,
  CookiePersistence,
  DefaultsSection,
  Duration,
  ErrorFile,
  FrontendSection,
  HaproxyConfig,
  HttpConnectionMode,
  HttpMethod,
  ProxyOptionFlags,
  RetryOnEvent,
  Server,
  ServerOptions,
  Stats,
  UserPassword,
  Userlist,
} from "./model";
import { sha512Crypt } from "./crypt";

export interface SeedServerOption {
  readonly name: string;
  readonly address: string;
  /** Default: the lab's `port`. */
  readonly port?: number;
  readonly weight?: number;
  /** Persistence cookie value; defaults to A, B, C … in order. */
  readonly cookie?: string;
}

export interface SeedHealthCheckOption {
  /** Check interval; default 10s (the seed's `inter 10000`), 1s in the tuned profile. */
  readonly inter?: Duration;
  /** Default: HAProxy's own (2), 2 in the tuned profile. */
  readonly rise?: number;
  /** Default: HAProxy's own (3), 2 in the tuned profile. */
  readonly fall?: number;
  /** When set, `option httpchk` probes this path (the seed has `option httpchk` commented out). */
  readonly path?: string;
  /** Method of the HTTP check; default HEAD (as the seed's commented line). */
  readonly method?: HttpMethod;
  /** Host header of the HTTP check; default "localhost". */
  readonly host?: string;
}

export interface SeedStatsOption {
  readonly user: string;
  /** `{ hashed }` renders a userlist (the file holds only the hash); `{ insecure }` renders the seed's clear-text `stats auth`. */
  readonly password: UserPassword;
  /** Default "/stats". */
  readonly uri?: string;
  /** Default "HAProxy Statistics". */
  readonly realm?: string;
}

export interface SeedLabOptions {
  /** The frontend host's address: `bind <address>:<port>` and `source <address>` on servers. Default 192.168.1.20. */
  readonly frontendAddress?: string;
  /** Port of the frontend and of the backends. Default 80. */
  readonly port?: number;
  /** Default: backend1 192.168.1.21 weight 60 cookie A, backend2 192.168.1.22 weight 45 cookie B. */
  readonly webServers?: readonly SeedServerOption[];
  /** Default: `static` at 192.168.1.23 weight 50. */
  readonly staticServers?: readonly SeedServerOption[];
  /** Default [".gif", ".png"] (the seed lists .png twice; duplicates are dropped). */
  readonly staticExtensions?: readonly string[];
  /** Default roundrobin. */
  readonly balance?: "roundrobin" | "static-rr" | "leastconn" | "first" | "source" | "random";
  /** Default "prefix" on PHPSESSID as in the seed; "insert" inserts SERVERID (indirect nocache); "none" disables persistence. */
  readonly cookieMode?: "prefix" | "insert" | "none";
  /** Default "httpclose" as in the seed (tuned: http-keep-alive); its keep-alive exercise uses "http-server-close". */
  readonly keepAlive?: HttpConnectionMode;
  /** `timeout http-keep-alive`; default 3s (the exercise's 3000) when keep-alive is on, 30s in the tuned profile. */
  readonly keepAliveTimeout?: Duration;
  /** Health checks; see SeedHealthCheckOption for the defaults. */
  readonly healthCheck?: SeedHealthCheckOption;
  /** Stats page credentials. Default: the seed's admin / Venezuela21, hashed into a userlist. */
  readonly stats?: SeedStatsOption;
  /** "seed" (default): the tutorial's behaviour. "tuned": FIELD-NOTES' measured settings (see TUNED); explicit options still win. */
  readonly profile?: "seed" | "tuned";
  /** global maxconn; default 4096 as in the seed. */
  readonly maxconn?: number;
  /** `maxconn` on every server (on the default-server line in the tuned profile); unset by default. */
  readonly serverMaxconn?: number;
}

/** The seed's addresses (its 192.168.1.0/24 lab network). */
export const SEED_FRONTEND_ADDRESS = "192.168.1.20";
export const SEED_PORT = 80;
export const SEED_WEB_SERVERS: readonly SeedServerOption[] = [
  { name: "backend1", address: "192.168.1.21", weight: 60, cookie: "A" },
  { name: "backend2", address: "192.168.1.22", weight: 45, cookie: "B" },
];
export const SEED_STATIC_SERVERS: readonly SeedServerOption[] = [{ name: "static", address: "192.168.1.23", weight: 50 }];
/** Every address of the seed's hosts, by host name (its /etc/hosts plus backend3). */
export const SEED_ADDRESSES = {
  haproxy: SEED_FRONTEND_ADDRESS,
  backend1: "192.168.1.21",
  backend2: "192.168.1.22",
  backend3: "192.168.1.23",
} as const;
export const SEED_STATIC_EXTENSIONS: readonly string[] = [".gif", ".png"];
export const SEED_WEB_BACKEND = "servidores";
/** The seed declares `servidorestaticos` and routes to `servidorestatico`: we use the declared name. */
export const SEED_STATIC_BACKEND = "servidorestaticos";
export const SEED_FRONTEND = "haproxy";
export const SEED_STATS_URI = "/stats";
export const SEED_STATS_REALM = "HAProxy Statistics";
/** The tutorial's stats credentials (`stats auth admin:Venezuela21`). Only their hash is rendered by default. */
export const SEED_STATS_USER = "admin";
export const SEED_STATS_PASSWORD = "Venezuela21";
/** Fixed salt of the default stats hash, so the default rendering is deterministic. */
export const SEED_STATS_SALT = "haproxylabseed";
export const STATS_USERLIST = "stats_users";
export const STATIC_ACL = "url_static";
export const SEED_ERRORFILE_STATUSES: readonly ErrorFile["status"][] = [400, 403, 408, 500, 502, 503, 504];
/** HTTP check defaults: the seed's commented-out `option httpchk HEAD …`, with a Host for HTTP/1.1. */
const HTTP_CHECK = { method: "HEAD", version: "HTTP/1.1", host: "localhost" } as const;
/** The keep-alive exercise's `timeout http-keep-alive 3000`. */
const SEED_KEEP_ALIVE_TIMEOUT: Duration = "3s";
const SEED_CHECK_INTER: Duration = "10s";

/** Settings of the tuned profile (FIELD-NOTES, "Measured here"). */
export const TUNED = {
  keepAlive: "http-keep-alive",
  healthCheck: { inter: "1s", rise: 2, fall: 2 },
  redispatchInterval: 1,
  retryOn: ["all-retryable-errors"] as readonly RetryOnEvent[],
  httpReuse: "safe",
  timeouts: { "http-request": "10s", "http-keep-alive": "30s", queue: "30s" },
  // From 2.5 a reload's old process closes idle client connections at once, so a request sent on
  // one at that instant, or on a connection it had just accepted, gets an empty reply (measured:
  // ~1 in 10,000 requests under load). idle-close-on-response lets it answer them with
  // `Connection: close` instead; hard-stop-after bounds how long it may linger doing so.
  idleCloseOnResponse: true,
  hardStopAfter: "60s",
} as const;

let defaultStatsHash: string | undefined;
/** The seed's password, hashed once with a fixed salt (5000 rounds of SHA-512 take a few ms). */
function seedStatsHash(): string {
  defaultStatsHash ??= sha512Crypt(SEED_STATS_PASSWORD, SEED_STATS_SALT);
  return defaultStatsHash;
}

/** Cookie values A, B, … Z, then A1, B1 …: the seed's convention. */
function letter(index: number): string {
  return String.fromCharCode(65 + (index % 26)) + (index >= 26 ? String(Math.floor(index / 26)) : "");
}

/** The seed's lab as a model. Every option has the seed's value as its default. */
export function seedLabHaproxyConfig(options: SeedLabOptions = {}): HaproxyConfig {
  const tuned = (options.profile ?? "seed") === "tuned";
  const frontendAddress = options.frontendAddress ?? SEED_FRONTEND_ADDRESS;
  const port = options.port ?? SEED_PORT;
  const cookieMode = options.cookieMode ?? "prefix";
  const keepAlive: HttpConnectionMode = options.keepAlive ?? (tuned ? TUNED.keepAlive : "httpclose");
  const keepAliveTimeout: Duration | undefined =
    options.keepAliveTimeout ?? (tuned ? TUNED.timeouts["http-keep-alive"] : keepAlive === "httpclose" ? undefined : SEED_KEEP_ALIVE_TIMEOUT);
  const health = options.healthCheck ?? {};
  const serverDefaults: ServerOptions = {
    check: true,
    inter: health.inter ?? (tuned ? TUNED.healthCheck.inter : SEED_CHECK_INTER),
    ...(health.rise !== undefined || tuned ? { rise: health.rise ?? TUNED.healthCheck.rise } : {}),
    ...(health.fall !== undefined || tuned ? { fall: health.fall ?? TUNED.healthCheck.fall } : {}),
    ...(options.serverMaxconn !== undefined ? { maxconn: options.serverMaxconn } : {}),
  };
  const extensions = [...new Set(options.staticExtensions ?? SEED_STATIC_EXTENSIONS)];

  // The seed writes check options on every server; the tuned profile uses one default-server line.
  const toServer = (server: SeedServerOption, index: number, withCookie: boolean): Server => ({
    name: server.name,
    address: server.address,
    port: server.port ?? port,
    ...(server.weight !== undefined ? { weight: server.weight } : {}),
    ...(withCookie ? { cookie: server.cookie ?? letter(index) } : {}),
    ...(tuned ? {} : serverDefaults),
    source: frontendAddress,
  });

  const cookie: CookiePersistence | undefined =
    cookieMode === "prefix" ? { name: "PHPSESSID", mode: "prefix" }
      : cookieMode === "insert" ? { name: "SERVERID", mode: "insert", indirect: true, nocache: true }
        : undefined;

  const httpchk: Pick<ProxyOptionFlags, "httpchk"> =
    health.path !== undefined ? { httpchk: { method: health.method ?? HTTP_CHECK.method, uri: health.path, version: HTTP_CHECK.version, host: health.host ?? HTTP_CHECK.host } } : {};
  const backendCommon = {
    connectionMode: keepAlive,
    option: { forwardfor: true as const, ...httpchk },
    balance: { algorithm: options.balance ?? "roundrobin" },
  } satisfies Partial<BackendSection>;

  const web: BackendSection = {
    name: SEED_WEB_BACKEND,
    ...backendCommon,
    ...(cookie ? { cookie } : {}),
    servers: (options.webServers ?? SEED_WEB_SERVERS).map((server, index) => toServer(server, index, cookie !== undefined)),
  };
  const statics: BackendSection = {
    name: SEED_STATIC_BACKEND,
    ...backendCommon,
    servers: (options.staticServers ?? SEED_STATIC_SERVERS).map((server, index) => toServer(server, index, false)),
  };

  const credentials: SeedStatsOption = options.stats ?? { user: SEED_STATS_USER, password: { hashed: seedStatsHash() } };
  const hashed = "hashed" in credentials.password;
  const userlists: Userlist[] = hashed ? [{ name: STATS_USERLIST, users: [{ name: credentials.user, password: credentials.password }] }] : [];
  const stats: Stats = {
    enable: true,
    uri: credentials.uri ?? SEED_STATS_URI,
    realm: credentials.realm ?? SEED_STATS_REALM,
    auth: "hashed" in credentials.password
      ? { kind: "userlist", userlist: STATS_USERLIST }
      : { kind: "inline", credentials: [{ user: credentials.user, password: credentials.password.insecure }] },
  };

  const staticCondition: Condition = { op: "if", terms: [{ acl: STATIC_ACL }] };
  const frontend: FrontendSection = {
    name: SEED_FRONTEND,
    binds: [{ address: frontendAddress, port }],
    // HAProxy 2.x closes the client side only when the frontend says httpclose (checked with
    // curl against 2.6); the seed's keep-alive exercise expects the client to see "Connection: close".
    ...(keepAlive === "httpclose" ? { connectionMode: "httpclose" as const } : {}),
    acls: [{ name: STATIC_ACL, criterion: { fetch: "path_end" }, values: extensions }],
    stats,
    useBackends: [{ backend: SEED_STATIC_BACKEND, condition: staticCondition }],
    defaultBackend: SEED_WEB_BACKEND,
  };

  const defaults: DefaultsSection = {
    mode: "http",
    log: "global",
    maxconn: 2000,
    option: {
      httplog: true,
      dontlognull: true,
      redispatch: tuned ? { interval: TUNED.redispatchInterval } : true,
      ...(tuned ? { "idle-close-on-response": TUNED.idleCloseOnResponse } : {}),
    },
    retries: 3,
    ...(tuned ? { retryOn: TUNED.retryOn, httpReuse: TUNED.httpReuse } : {}),
    timeout: {
      connect: "5s",
      client: "50s",
      server: "50s",
      ...(tuned ? { "http-request": TUNED.timeouts["http-request"] } : {}),
      // HAProxy takes the wait for a client's next request from the frontend, so the timeout
      // lives in defaults, which every proxy inherits (the exercise put it in the backend).
      ...(keepAliveTimeout !== undefined ? { "http-keep-alive": keepAliveTimeout } : {}),
      ...(tuned ? { queue: TUNED.timeouts.queue } : {}),
    },
    errorfiles: SEED_ERRORFILE_STATUSES.map((status) => ({ status, file: `/etc/haproxy/errors/${status}.http` })),
    ...(tuned ? { defaultServer: serverDefaults } : {}),
  };

  return {
    global: {
      log: [
        { target: "/dev/log", facility: "local0" },
        { target: "/dev/log", facility: "local1", level: "notice" },
      ],
      maxconn: options.maxconn ?? 4096,
      chroot: "/var/lib/haproxy",
      user: "haproxy",
      group: "haproxy",
      daemon: true,
      ...(tuned ? { hardStopAfter: TUNED.hardStopAfter } : {}),
      statsSockets: [{ path: "/run/haproxy/admin.sock", mode: "660", level: "admin", exposeFdListeners: true }],
    },
    defaults: [defaults],
    userlists,
    frontends: [frontend],
    backends: [web, statics],
  };
}
