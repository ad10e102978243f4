/**
 * The seed's lab as a HAProxy model: one frontend, a web backend (`servidores`) and a static
 * backend (`servidorestaticos`), a static-files ACL and a stats page, in HAProxy 2.4+ syntax.
 */
import type {
  BackendSection,
  Duration,
  HttpConnectionMode,
  UserPassword,
  Condition,
  CookiePersistence,
  DefaultsSection,
  ErrorFile,
  FrontendSection,
  HaproxyConfig,
  RetryOnEvent,
  Server,
  ServerOptions,
  Stats,
  Userlist,
} from "./model";

export interface SeedServerOption {
  readonly name: string;
  readonly address: string;
  readonly port?: number;
  readonly weight?: number;
  /** Persistence cookie value; defaults to A, B, C … in order. */
  readonly cookie?: string;
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
  /** Default [".gif", ".png"] (the seed lists .png twice). */
  readonly staticExtensions?: readonly string[];
  readonly balance?: "roundrobin" | "static-rr" | "leastconn" | "first" | "source" | "random";
  /** Default "prefix" on PHPSESSID as in the seed; "insert" inserts SERVERID; "none" disables persistence. */
  readonly cookieMode?: "prefix" | "insert" | "none";
  /** Default "httpclose" as in the seed; its keep-alive exercise uses "http-server-close" with timeout http-keep-alive 3s. */
  readonly keepAlive?: HttpConnectionMode;
  readonly keepAliveTimeout?: Duration;
  /** Default: check inter 10s (the seed), rise 2, fall 3, no httpchk (the seed has it commented out). */
  readonly healthCheck?: { readonly inter?: Duration; readonly rise?: number; readonly fall?: number; readonly path?: string };
  /** Stats page credentials. A hashed password renders a userlist; an insecure one renders `stats auth` (the seed). */
  readonly stats?: { readonly user: string; readonly password: UserPassword; readonly uri?: string; readonly realm?: string };
  /** "seed" (default here): the tutorial's behaviour. "tuned": keep-alive, reuse, redispatch 1, retry-on, fast checks. */
  readonly profile?: "seed" | "tuned";
  /** global maxconn; default 4096 as in the seed. */
  readonly maxconn?: number;
}

/** The seed's addresses (its 192.168.1.0/24 lab network). */
export const SEED_FRONTEND_ADDRESS = "192.168.1.20";
export const SEED_WEB_SERVERS: readonly SeedServerOption[] = [
  { name: "backend1", address: "192.168.1.21", weight: 60, cookie: "A" },
  { name: "backend2", address: "192.168.1.22", weight: 45, cookie: "B" },
];
export const SEED_STATIC_SERVERS: readonly SeedServerOption[] = [{ name: "static", address: "192.168.1.23", weight: 50 }];
export const SEED_STATIC_EXTENSIONS: readonly string[] = [".gif", ".png"];
export const SEED_WEB_BACKEND = "servidores";
/** The seed declares `servidorestaticos` and routes to `servidorestatico`: we use the declared name. */
export const SEED_STATIC_BACKEND = "servidorestaticos";
export const SEED_FRONTEND = "haproxy";
export const STATS_USERLIST = "stats_users";
export const STATIC_ACL = "url_static";
const ERROR_STATUSES: readonly ErrorFile["status"][] = [400, 403, 408, 500, 502, 503, 504];

/** Settings of the tuned profile (FIELD-NOTES, "Measured here"). */
export const TUNED = {
  keepAlive: "http-keep-alive",
  healthCheck: { inter: "1s", rise: 2, fall: 2 },
  retryOn: ["all-retryable-errors"] as readonly RetryOnEvent[],
  httpReuse: "safe",
  timeouts: { "http-request": "10s", "http-keep-alive": "30s", queue: "30s" },
} as const;

function letter(index: number): string {
  return String.fromCharCode(65 + (index % 26)) + (index >= 26 ? String(Math.floor(index / 26)) : "");
}

/** The seed's lab as a model. Every option has the seed's value as its default. */
export function seedLabHaproxyConfig(options: SeedLabOptions = {}): HaproxyConfig {
  const profile = options.profile ?? "seed";
  const tuned = profile === "tuned";
  const frontendAddress = options.frontendAddress ?? SEED_FRONTEND_ADDRESS;
  const port = options.port ?? 80;
  const cookieMode = options.cookieMode ?? "prefix";
  const keepAlive = options.keepAlive ?? (tuned ? TUNED.keepAlive : "httpclose");
  const check = {
    inter: options.healthCheck?.inter ?? (tuned ? TUNED.healthCheck.inter : "10s"),
    rise: options.healthCheck?.rise ?? (tuned ? TUNED.healthCheck.rise : undefined),
    fall: options.healthCheck?.fall ?? (tuned ? TUNED.healthCheck.fall : undefined),
    path: options.healthCheck?.path,
  };
  const extensions = [...new Set(options.staticExtensions ?? SEED_STATIC_EXTENSIONS)];

  const serverOptions: ServerOptions = {
    check: true,
    inter: check.inter,
    ...(check.rise !== undefined ? { rise: check.rise } : {}),
    ...(check.fall !== undefined ? { fall: check.fall } : {}),
    source: frontendAddress,
  };
  const toServer = (server: SeedServerOption, index: number, withCookie: boolean): Server => ({
    name: server.name,
    address: server.address,
    port: server.port ?? port,
    ...(server.weight !== undefined ? { weight: server.weight } : {}),
    ...(withCookie ? { cookie: server.cookie ?? letter(index) } : {}),
    ...serverOptions,
  });

  const cookie: CookiePersistence | undefined =
    cookieMode === "prefix" ? { name: "PHPSESSID", mode: "prefix" }
      : cookieMode === "insert" ? { name: "SERVERID", mode: "insert", indirect: true, nocache: true, httponly: true }
        : undefined;

  const httpchkOption = check.path !== undefined ? { httpchk: { method: "GET" as const, uri: check.path, version: "HTTP/1.1" as const, host: "localhost" } } : {};
  const keepAliveTimeout = keepAlive === "httpclose" ? undefined : (options.keepAliveTimeout ?? (tuned ? TUNED.timeouts["http-keep-alive"] : "3s"));

  const backendCommon = {
    balance: { algorithm: options.balance ?? "roundrobin" },
    connectionMode: keepAlive,
    option: { forwardfor: true as const, ...httpchkOption },
    ...(keepAliveTimeout ? { timeout: { "http-keep-alive": keepAliveTimeout } } : {}),
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

  const statsCredentials = options.stats;
  const userlists: Userlist[] =
    statsCredentials && "hashed" in statsCredentials.password
      ? [{ name: STATS_USERLIST, users: [{ name: statsCredentials.user, password: statsCredentials.password }] }]
      : [];
  const stats: Stats = {
    enable: true,
    uri: statsCredentials?.uri ?? "/stats",
    realm: statsCredentials?.realm ?? "HAProxy Statistics",
    ...(statsCredentials
      ? "hashed" in statsCredentials.password
        ? { auth: { kind: "userlist" as const, userlist: STATS_USERLIST } }
        : { auth: { kind: "inline" as const, credentials: [{ user: statsCredentials.user, password: statsCredentials.password.insecure }] } }
      : {}),
    refresh: tuned ? "5s" : undefined,
  };
  if (stats.refresh === undefined) delete (stats as { refresh?: unknown }).refresh;

  const staticCondition: Condition = { op: "if", terms: [{ acl: STATIC_ACL }] };
  const frontend: FrontendSection = {
    name: SEED_FRONTEND,
    binds: [{ address: frontendAddress, port }],
    // HAProxy 2.x applies httpclose to the client side only when the frontend says so; the seed's
    // keep-alive exercise expects the client to see "Connection: close".
    ...(keepAlive === "httpclose" ? { connectionMode: "httpclose" as const } : {}),
    stats,
    acls: [{ name: STATIC_ACL, criterion: { fetch: "path_end" }, ignoreCase: true, values: extensions }],
    useBackends: [{ backend: SEED_STATIC_BACKEND, condition: staticCondition }],
    defaultBackend: SEED_WEB_BACKEND,
  };

  const defaults: DefaultsSection = {
    mode: "http",
    log: "global",
    option: { httplog: true, dontlognull: true, redispatch: tuned ? { interval: 1 } : true },
    retries: 3,
    ...(tuned ? { retryOn: TUNED.retryOn, httpReuse: TUNED.httpReuse } : {}),
    maxconn: 2000,
    timeout: {
      connect: "5s",
      client: "50s",
      server: "50s",
      ...(tuned ? { "http-request": TUNED.timeouts["http-request"], queue: TUNED.timeouts.queue } : {}),
    },
    errorfiles: ERROR_STATUSES.map((status) => ({ status, file: `/etc/haproxy/errors/${status}.http` })),
  };

  return {
    global: {
      log: [
        { target: "/dev/log", facility: "local0" },
        { target: "/dev/log", facility: "local1", level: "notice" },
      ],
      maxconn: options.maxconn ?? 4096,
      chroot: "/var/lib/haproxy",
      statsSockets: [{ path: "/run/haproxy/admin.sock", mode: "660", level: "admin", exposeFdListeners: true }],
      user: "haproxy",
      group: "haproxy",
      daemon: true,
    },
    defaults: [defaults],
    userlists,
    frontends: [frontend],
    backends: [web, statics],
  };
}
