/**
 * A typed object model of haproxy.cfg (HAProxy 2.4+).
 *
 * Plain data, no behaviour: `validate.ts` checks it, `render.ts` turns it into text. Field names
 * follow HAProxy's own keywords (camelCase for multi-word keywords, the keyword itself where it is
 * a map key such as `timeout["http-keep-alive"]`), so a reader of the configuration manual finds
 * each field at once. Where HAProxy has variants (balance algorithms, cookie modes, http-request
 * actions, ACL fetches) the model is a discriminated union, so per-variant fields cannot mix.
 *
 * Nothing here imports Pulumi or does I/O.
 */

// ---------------------------------------------------------------------------------------------
// Scalars

/** HAProxy time units (manual section 2.5). */
export type DurationUnit = "us" | "ms" | "s" | "m" | "h" | "d";
/** A time as HAProxy writes it, e.g. `"5s"`, `"500ms"`, `"1m"`. Always with an explicit unit. */
export type Duration = `${number}${DurationUnit}`;

/** IPv4 or IPv6 address, or a host name where HAProxy resolves one (servers). */
export type Address = string;

export type SyslogFacility =
  | "kern" | "user" | "mail" | "daemon" | "auth" | "syslog" | "lpr" | "news" | "uucp" | "cron"
  | "auth2" | "ftp" | "ntp" | "audit" | "alert" | "cron2"
  | "local0" | "local1" | "local2" | "local3" | "local4" | "local5" | "local6" | "local7";
export type SyslogLevel = "emerg" | "alert" | "crit" | "err" | "warning" | "notice" | "info" | "debug";

/** `log <target> <facility> [<level> [<minlevel>]]`; target is `/dev/log`, `127.0.0.1:514`, `stdout` … */
export interface LogTarget {
  readonly target: string;
  readonly facility: SyslogFacility;
  readonly level?: SyslogLevel;
  readonly minLevel?: SyslogLevel;
}

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "OPTIONS" | "PATCH";

// ---------------------------------------------------------------------------------------------
// ACLs and conditions

/** Sample fetches usable as ACL criteria. Fetches that take an argument carry it typed. */
export type AclFetch =
  | { readonly fetch: "path" | "path_beg" | "path_end" | "path_sub" | "path_reg" | "path_dir" }
  | { readonly fetch: "url" | "url_beg" | "url_end" | "url_sub" | "url_reg" }
  | { readonly fetch: "src" | "dst" | "dst_port" | "method" | "ssl_fc" | "req.ver" }
  | { readonly fetch: "hdr" | "hdr_beg" | "hdr_end" | "hdr_sub" | "hdr_dom" | "hdr_reg" | "hdr_cnt"; readonly header: string }
  | { readonly fetch: "url_param"; readonly param: string }
  | { readonly fetch: "http_auth" | "http_auth_group"; readonly userlist: string }
  | { readonly fetch: "nbsrv"; readonly backend: string };

/** Pattern matching methods for `-m` (manual 7.1.3). */
export type AclMatch = "str" | "beg" | "end" | "sub" | "reg" | "dom" | "dir" | "len" | "ip" | "found" | "int" | "bool";

/** `acl <name> <criterion> [flags] [operator] <value> ...` */
export interface Acl {
  readonly name: string;
  readonly criterion: AclFetch;
  /** `-i`: case-insensitive match. */
  readonly ignoreCase?: boolean;
  /** `-m <method>`: force a matching method. */
  readonly match?: AclMatch;
  /** Patterns. May be empty for boolean fetches (ssl_fc) or `-m found`. */
  readonly values: readonly string[];
}

/**
 * One term of a condition: a named ACL, negated with `!` when `negate`. `join` is the operator
 * that links the term to the one before it ("and" is HAProxy's implicit juxtaposition, "or" is
 * `||`). HAProxy has no parentheses and binds AND tighter than OR, and so does this list.
 */
export interface AclTerm {
  readonly acl: string;
  readonly negate?: boolean;
  readonly join?: "and" | "or";
}

/** `if|unless <terms>`, e.g. `{ op: "if", terms: [{ acl: "url_static" }] }` → `if url_static`. */
export interface Condition {
  readonly op: "if" | "unless";
  readonly terms: readonly AclTerm[];
}

// ---------------------------------------------------------------------------------------------
// Rules

/** `use_backend <backend> if|unless <condition>` */
export interface UseBackendRule {
  readonly backend: string;
  readonly condition: Condition;
}

/** http-request actions (manual 4.2 "http-request"). */
export type HttpRequestRule =
  | { readonly action: "set-header" | "add-header"; readonly name: string; readonly value: string; readonly condition?: Condition }
  | { readonly action: "del-header"; readonly name: string; readonly condition?: Condition }
  | { readonly action: "deny"; readonly denyStatus?: number; readonly condition?: Condition }
  | { readonly action: "redirect"; readonly type: "location" | "prefix" | "scheme"; readonly target: string; readonly code?: 301 | 302 | 303 | 307 | 308; readonly condition?: Condition }
  | { readonly action: "return"; readonly status: number; readonly contentType?: string; readonly body?: string; readonly condition?: Condition }
  | { readonly action: "auth"; readonly realm?: string; readonly condition?: Condition };

/** http-response actions. */
export type HttpResponseRule =
  | { readonly action: "set-header" | "add-header"; readonly name: string; readonly value: string; readonly condition?: Condition }
  | { readonly action: "del-header"; readonly name: string; readonly condition?: Condition };

// ---------------------------------------------------------------------------------------------
// Load balancing, persistence, health checks

/** `balance <algorithm> [<arguments>]`, keyed on the algorithm. */
export type Balance =
  | { readonly algorithm: "roundrobin" | "static-rr" | "leastconn" | "first" | "source" }
  | { readonly algorithm: "uri"; readonly whole?: boolean; readonly len?: number; readonly depth?: number }
  | { readonly algorithm: "url_param"; readonly param: string; readonly checkPost?: number }
  | { readonly algorithm: "hdr"; readonly header: string; readonly useDomainOnly?: boolean }
  | { readonly algorithm: "random"; readonly draws?: number }
  | { readonly algorithm: "rdp-cookie"; readonly name?: string };

/** Attributes every cookie mode accepts. */
interface CookieCommon {
  readonly name: string;
  /** `indirect`: the manual advises against it with `prefix`; the validator warns. */
  readonly indirect?: boolean;
}

/**
 * `cookie <name> insert|rewrite|prefix [...]`. Attributes that only make sense on a cookie
 * HAProxy inserts itself exist only on the `insert` variant.
 */
export type CookiePersistence =
  | (CookieCommon & {
      readonly mode: "insert";
      readonly nocache?: boolean;
      readonly postonly?: boolean;
      readonly preserve?: boolean;
      readonly httponly?: boolean;
      readonly secure?: boolean;
      readonly domain?: readonly string[];
      readonly maxidle?: Duration;
      readonly maxlife?: Duration;
    })
  | (CookieCommon & { readonly mode: "rewrite" | "prefix"; readonly preserve?: boolean });

/** `option httpchk` + `http-check send meth <m> uri <u> ver <v> hdr Host <h>` (2.2+ syntax). */
export interface HttpCheck {
  readonly method?: HttpMethod;
  readonly uri?: string;
  readonly version?: "HTTP/1.0" | "HTTP/1.1";
  /** Host header sent with the check (required by many vhosts with HTTP/1.1). */
  readonly host?: string;
}

/** `http-check expect [!] <match> <pattern>` */
export type HttpCheckExpect =
  | { readonly match: "status"; readonly value: string; readonly negate?: boolean }
  | { readonly match: "rstatus" | "string" | "rstring"; readonly pattern: string; readonly negate?: boolean };

/** Server options, shared by `server` lines and `default-server`. */
export interface ServerOptions {
  /** 0-256; 0 takes the server out of load balancing. */
  readonly weight?: number;
  readonly check?: boolean;
  readonly inter?: Duration;
  readonly fastinter?: Duration;
  readonly downinter?: Duration;
  readonly rise?: number;
  readonly fall?: number;
  readonly maxconn?: number;
  /** `source <address>`: the local address used to reach the server. */
  readonly source?: Address;
  readonly sendProxy?: "v1" | "v2";
  readonly ssl?: { readonly verify: "none"; readonly sni?: string } | { readonly verify: "required"; readonly caFile: string; readonly sni?: string };
}

/** `server <name> <address>[:<port>] [options]` */
export interface Server extends ServerOptions {
  readonly name: string;
  readonly address: Address;
  readonly port?: number;
  readonly backup?: boolean;
  readonly disabled?: boolean;
  /** Value of the persistence cookie for this server (`cookie A`). */
  readonly cookie?: string;
}

// ---------------------------------------------------------------------------------------------
// Stats, users

export interface StatsCredentials {
  readonly user: string;
  readonly password: string;
}

/**
 * `stats auth` either inline (clear text in the file, as in the seed) or through a userlist,
 * rendered as `stats http-request auth … unless { http_auth(<userlist>) }` so the file only
 * holds a password hash.
 */
export type StatsAuth =
  | { readonly kind: "inline"; readonly credentials: readonly StatsCredentials[] }
  | { readonly kind: "userlist"; readonly userlist: string };

export interface Stats {
  readonly enable: true;
  readonly uri?: string;
  readonly realm?: string;
  readonly auth?: StatsAuth;
  readonly refresh?: Duration;
  /** `stats admin if|unless <condition>`: who may drain/enable servers from the page. */
  readonly admin?: Condition;
  readonly hideVersion?: boolean;
  /** `stats show-legends` */
  readonly showLegends?: boolean;
}

/** A userlist password: a crypt(3) hash (`password`) or clear text (`insecure-password`). */
export type UserPassword = { readonly hashed: string } | { readonly insecure: string };

export interface UserlistUser {
  readonly name: string;
  readonly password: UserPassword;
  readonly groups?: readonly string[];
}

/** `userlist <name>` with `group` and `user` lines. */
export interface Userlist {
  readonly name: string;
  readonly groups?: readonly string[];
  readonly users: readonly UserlistUser[];
}

// ---------------------------------------------------------------------------------------------
// Proxies

export type TimeoutName =
  | "connect" | "client" | "server" | "http-request" | "http-keep-alive" | "queue" | "check" | "tunnel"
  | "client-fin" | "server-fin";

/** HAProxy's three HTTP connection modes are one setting, so the model has one field for them. */
export type HttpConnectionMode = "httpclose" | "http-server-close" | "http-keep-alive";

export type RetryOnEvent =
  | "none" | "conn-failure" | "empty-response" | "junk-response" | "response-timeout" | "0rtt-rejected"
  | "all-retryable-errors" | "404" | "408" | "425" | "500" | "501" | "502" | "503" | "504";

export interface ForwardFor {
  /** `except <network>`: do not add the header for this source network. */
  readonly except?: string;
  /** `header <name>`: use another header name than X-Forwarded-For. */
  readonly header?: string;
  /** `if-none`: only add the header when the client did not send one. */
  readonly ifNone?: boolean;
}

/** `option …` flags. */
export interface ProxyOptionFlags {
  readonly httplog?: boolean | "clf";
  readonly tcplog?: boolean;
  readonly dontlognull?: boolean;
  readonly forwardfor?: true | ForwardFor;
  /** `option redispatch [<interval>]`; `1` redispatches on the first retry. */
  readonly redispatch?: true | { readonly interval: number };
  readonly abortonclose?: boolean;
  readonly "http-buffer-request"?: boolean;
  /**
   * Client side (defaults, frontend, listen; HAProxy 2.6+): on a soft stop (reload), keep idle
   * client connections until their next response carries `Connection: close` instead of closing
   * them at once, which fails a request sent on one at that instant.
   */
  readonly "idle-close-on-response"?: boolean;
  readonly httpchk?: HttpCheck;
}

export interface ErrorFile {
  readonly status: 400 | 403 | 405 | 408 | 425 | 429 | 500 | 501 | 502 | 503 | 504;
  readonly file: string;
}

/** Keywords common to defaults, frontend, backend and listen sections. */
export interface ProxyCommon {
  readonly mode?: "http" | "tcp";
  /** `log global` (true) or explicit targets. */
  readonly log?: "global" | readonly LogTarget[];
  readonly logFormat?: string;
  readonly option?: ProxyOptionFlags;
  readonly connectionMode?: HttpConnectionMode;
  readonly timeout?: Partial<Readonly<Record<TimeoutName, Duration>>>;
  readonly maxconn?: number;
  readonly errorfiles?: readonly ErrorFile[];
  readonly stats?: Stats;
}

/** Keywords of sections that route to servers (backend, listen, defaults). */
export interface ServerSide {
  readonly balance?: Balance;
  readonly cookie?: CookiePersistence;
  readonly httpCheckExpect?: HttpCheckExpect;
  readonly retries?: number;
  readonly retryOn?: readonly RetryOnEvent[];
  readonly httpReuse?: "never" | "safe" | "aggressive" | "always";
  readonly defaultServer?: ServerOptions;
}

/** Keywords of sections that accept clients (frontend, listen). */
export interface ClientSide {
  readonly binds: readonly Bind[];
  readonly acls?: readonly Acl[];
  readonly httpRequest?: readonly HttpRequestRule[];
  readonly httpResponse?: readonly HttpResponseRule[];
  readonly useBackends?: readonly UseBackendRule[];
  readonly defaultBackend?: string;
}

/** `bind [<address>]:<port> [ssl crt <file> [alpn <protos>]] [options]` */
export interface Bind {
  /** Omit (or "*") to listen on every address. */
  readonly address?: Address;
  readonly port: number;
  readonly ssl?: { readonly crt: string; readonly alpn?: readonly string[] };
  readonly acceptProxy?: boolean;
  readonly v4v6?: boolean;
  readonly transparent?: boolean;
  readonly deferAccept?: boolean;
  readonly tfo?: boolean;
  /** `name <name>`, shown in the stats page. */
  readonly name?: string;
  readonly maxconn?: number;
}

export interface DefaultsSection extends ProxyCommon, ServerSide {
  /** Named defaults (2.4+) are referenced by `from <name>`; omit for the classic anonymous one. */
  readonly name?: string;
}

export interface FrontendSection extends ProxyCommon, ClientSide {
  readonly name: string;
}

export interface BackendSection extends ProxyCommon, ServerSide {
  readonly name: string;
  readonly acls?: readonly Acl[];
  readonly httpRequest?: readonly HttpRequestRule[];
  readonly httpResponse?: readonly HttpResponseRule[];
  readonly servers: readonly Server[];
}

export interface ListenSection extends ProxyCommon, ServerSide, ClientSide {
  readonly name: string;
  readonly servers: readonly Server[];
}

// ---------------------------------------------------------------------------------------------
// Global

/** `stats socket <path> [mode <octal>] [level <level>] [expose-fd listeners]` */
export interface StatsSocket {
  readonly path: string;
  /** Octal permission string, e.g. "660". */
  readonly mode?: string;
  readonly level?: "user" | "operator" | "admin";
  /** Lets a master-worker reload pass listening sockets to the new process (seamless reload). */
  readonly exposeFdListeners?: boolean;
}

export interface GlobalSection {
  readonly log?: readonly LogTarget[];
  readonly maxconn?: number;
  readonly chroot?: string;
  readonly user?: string;
  readonly group?: string;
  readonly daemon?: boolean;
  /** `master-worker`: needed for a seamless `reload` outside systemd. */
  readonly masterWorker?: boolean;
  readonly nbthread?: number;
  /** `hard-stop-after`: how long an old process may finish its connections after a reload. */
  readonly hardStopAfter?: Duration;
  readonly pidfile?: string;
  readonly statsSockets?: readonly StatsSocket[];
  readonly caBase?: string;
  readonly crtBase?: string;
  readonly sslDefaultBindCiphers?: string;
  readonly sslDefaultBindCiphersuites?: string;
  readonly sslDefaultBindOptions?: readonly string[];
  readonly sslDefaultServerCiphers?: string;
  readonly sslDefaultServerCiphersuites?: string;
  readonly sslDefaultServerOptions?: readonly string[];
}

/** A whole haproxy.cfg. Sections render in this order: global, defaults, userlist, frontend, backend, listen. */
export interface HaproxyConfig {
  readonly global: GlobalSection;
  readonly defaults: readonly DefaultsSection[];
  readonly userlists?: readonly Userlist[];
  readonly frontends: readonly FrontendSection[];
  readonly backends: readonly BackendSection[];
  readonly listens?: readonly ListenSection[];
}

// ---------------------------------------------------------------------------------------------
// Problems

export interface ConfigProblem {
  readonly severity: "error" | "warning";
  /** Where the culprit is, e.g. `frontends[0].useBackends[1].backend`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}
