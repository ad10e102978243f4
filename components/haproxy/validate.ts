/**
 * validateHaproxyConfig: every problem of a model at once, each with the path of the culprit
 * (`frontends[0].useBackends[1].backend`) and a message that says what is wrong and how to fix it.
 *
 * Two layers:
 * 1. A walk over every string anywhere in the model: no control character (a newline would end
 *    the directive and let the rest become configuration), not empty (HAProxy drops an empty last
 *    word, shifting the arguments), not longer than MAX_STRING_LENGTH.
 * 2. Field rules. Each string field is either a token with a strict character set (names,
 *    addresses, paths, header names …) or a text that the renderer quotes (see quote.ts); numbers
 *    in range; references that resolve, with a "did you mean"; HAProxy's own fatal errors
 *    (an ACL used before it exists, an HTTP frontend routing to a TCP backend, more than 64 words
 *    on a line …); and the pitfalls of the seed and FIELD-NOTES as warnings.
 *
 * Values typed as unions still arrive from JSON and stack config, so enums are checked at run
 * time too, and a wrong type is reported instead of crashing the validator.
 */
import { isIP } from "node:net";
import type {
  Acl,
  BackendSection,
  Bind,
  Condition,
  ConfigProblem,
  CookiePersistence,
  DefaultsSection,
  FrontendSection,
  HaproxyConfig,
  HttpRequestRule,
  HttpResponseRule,
  ListenSection,
  LogTarget,
  ProxyCommon,
  Server,
  ServerOptions,
  ServerSide,
  Stats,
  Userlist,
} from "./model";
import { CONTROL_CHARACTER, CRYPT_HASH } from "./quote";

// ---------------------------------------------------------------------------------------------
// Character sets of token fields (documented in README, section haproxy)

/** Proxy, server, ACL, userlist, user, group and bind names: HAProxy's `invalid_char()` rule. */
export const NAME = /^[A-Za-z0-9_.:-]+$/;
/** Arguments written inside a fetch's parentheses (`hdr(host)`, `http_auth(stats_users)`). */
export const FETCH_ARGUMENT = /^[A-Za-z0-9_.-]+$/;
/** HTTP header names: RFC 9110 token characters, minus those HAProxy's tokenizer interprets. */
export const HEADER_NAME = /^[A-Za-z0-9!%&*+.^_`|~-]+$/;
/** File paths (errorfile, chroot, pidfile, sockets, certificates). */
export const FILE_PATH = /^[A-Za-z0-9_.\/@+,=-]+$/;
/** URL paths (stats uri, httpchk uri): absolute, RFC 3986 path/query characters minus quotes and `$`. */
export const URL_PATH = /^\/[A-Za-z0-9\-._~!&()*+,;=:@\/%?]*$/;
/** Log targets: `/dev/log`, `127.0.0.1:514`, `stdout`, `ipv4@host:port`, `ring@name`. */
export const LOG_TARGET = /^[A-Za-z0-9_.\/:@\[\]-]+$/;
/** OpenSSL cipher lists and TLS 1.3 cipher suites. */
export const CIPHER_LIST = /^[A-Za-z0-9_.:+!@=,-]+$/;
/** System user and group names (useradd's rule). */
export const SYSTEM_NAME = /^[a-z_][a-z0-9_-]*\$?$/;
/** URL schemes for `redirect scheme`. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
/** Networks for `option forwardfor except`: an address with an optional prefix length. */
const NETWORK_PREFIX = /^\/(\d{1,3})$/;

const DURATION = /^([0-9]+)(us|ms|s|m|h|d)$/;
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** A cookie domain: a host name, optionally with the leading dot browsers accept. */
const COOKIE_DOMAIN = /^\.?(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Longest string accepted in any field: keeps every line far below what any 2.x reader takes. */
export const MAX_STRING_LENGTH = 1024;
/** Patterns per `acl` line, so the line stays under HAProxy's 64 words. */
export const MAX_ACL_VALUES = 50;
/** Terms per condition, for the same reason (a term takes up to two words with `||`). */
export const MAX_CONDITION_TERMS = 25;
/** The longest time HAProxy stores (a signed 32-bit count of milliseconds). */
const MAX_DURATION_MS = 2_147_483_647;
/** Shorter timeouts and check intervals are almost always a unit mistake. */
const MIN_SANE_DURATION_MS = 100;

const FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"] as const;
const LEVELS = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;
const BALANCES = ["roundrobin", "static-rr", "leastconn", "first", "source", "uri", "url_param", "hdr", "random", "rdp-cookie"] as const;
const FETCHES = ["path", "path_beg", "path_end", "path_sub", "path_reg", "path_dir", "url", "url_beg", "url_end", "url_sub", "url_reg", "src", "dst", "dst_port", "method", "ssl_fc", "req.ver", "hdr", "hdr_beg", "hdr_end", "hdr_sub", "hdr_dom", "hdr_reg", "hdr_cnt", "url_param", "http_auth", "http_auth_group", "nbsrv"] as const;
/** Fetches that only exist on HTTP traffic. */
const HTTP_FETCHES: ReadonlySet<string> = new Set(["path", "path_beg", "path_end", "path_sub", "path_reg", "path_dir", "url", "url_beg", "url_end", "url_sub", "url_reg", "method", "req.ver", "hdr", "hdr_beg", "hdr_end", "hdr_sub", "hdr_dom", "hdr_reg", "hdr_cnt", "url_param", "http_auth", "http_auth_group"]);
const MATCHES = ["str", "beg", "end", "sub", "reg", "dom", "dir", "len", "ip", "found", "int", "bool"] as const;
const RETRY_ON = ["none", "conn-failure", "empty-response", "junk-response", "response-timeout", "0rtt-rejected", "all-retryable-errors", "404", "408", "425", "500", "501", "502", "503", "504"] as const;
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"] as const;
const TIMEOUTS = ["connect", "client", "server", "http-request", "http-keep-alive", "queue", "check", "tunnel", "client-fin", "server-fin"] as const;
const ERRORFILE_STATUSES = [400, 403, 405, 408, 425, 429, 500, 501, 502, 503, 504] as const;
/** Statuses HAProxy has a built-in error page for: the only ones `deny_status` takes. */
const DENY_STATUSES = [200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504] as const;
const SSL_VERSIONS = "(SSLv3|TLSv1\\.[0-3])";
const SSL_OPTION = new RegExp(`^(no-sslv3|no-tlsv1[0-3]|no-tls-tickets|prefer-client-ciphers|force-sslv3|force-tlsv1[0-3]|ssl-(min|max)-ver ${SSL_VERSIONS})$`);
/** Where a log-format string is evaluated, which decides the sample fetches it may use. */
export type SampleContext = "frontend-request" | "backend-request" | "response" | "log";
const EVERYWHERE: readonly SampleContext[] = ["frontend-request", "backend-request", "response", "log"];
const REQUEST: readonly SampleContext[] = ["frontend-request", "backend-request"];
const AFTER_SERVER: readonly SampleContext[] = ["response", "log"];
/**
 * Sample fetches this validator knows inside `%[…]` of header values, redirect locations and
 * log-format strings, with where HAProxy 2.6 lets them be used (checked one by one with
 * `haproxy -c`). HAProxy refuses an unknown fetch, or one used where its data does not exist
 * (a request header in log-format, the server's name before a server is chosen), at startup.
 */
const SAMPLE_FETCHES: ReadonlyMap<string, readonly SampleContext[]> = new Map<string, readonly SampleContext[]>([
  ...["src", "src_port", "dst", "dst_port", "method", "ssl_fc", "ssl_fc_sni", "ssl_fc_protocol", "ssl_c_s_dn", "fe_name", "hostname", "date", "rand", "uuid", "unique-id", "str", "int", "var", "capture.req.hdr", "fc_rtt", "nbsrv"].map((f) => [f, EVERYWHERE] as const),
  ...["path", "url", "base", "query", "req.ver", "req.hdr", "req.fhdr", "req.cook", "cook", "url_param", "urlp", "http_auth_group"].map((f) => [f, REQUEST] as const),
  ["hdr", ["frontend-request", "backend-request", "response"]],
  ...["res.hdr", "res.cook"].map((f) => [f, ["response"] as const] as const),
  ...["status", "capture.res.hdr", "srv_name", "bc_src", "bc_dst"].map((f) => [f, AFTER_SERVER] as const),
  ["be_name", ["backend-request", "response", "log"]],
]);
const CONTEXT_NAMES: Readonly<Record<SampleContext, string>> = {
  "frontend-request": "in a frontend's http-request rules (no backend or server is chosen yet)",
  "backend-request": "in http-request rules (no server is chosen yet)",
  response: "in http-response rules (the request is gone)",
  log: "in log-format (only captured headers are kept for the log)",
};

type Severity = ConfigProblem["severity"];

// ---------------------------------------------------------------------------------------------
// Helpers shared with other modules

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * ` Did you mean 'x'?` for the closest candidate within a small edit distance, else the list of
 * known names (or nothing when there are none). Meant to be appended to a message.
 */
export function suggest(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(String(name).toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return ` Did you mean '${best}'?`;
  return candidates.length > 0 ? ` Known: ${candidates.map((c) => `'${c}'`).join(", ")}.` : "";
}

export function isIpAddress(value: string): boolean {
  return typeof value === "string" && (IPV4.test(value) || isIP(value) === 6);
}

/** An IPv4/IPv6 address or a network with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
export function isNetwork(value: string): boolean {
  if (typeof value !== "string") return false;
  const slash = value.indexOf("/");
  if (slash === -1) return isIpAddress(value);
  const address = value.slice(0, slash);
  const prefix = NETWORK_PREFIX.exec(value.slice(slash));
  if (!prefix || !isIpAddress(address)) return false;
  return Number(prefix[1]) <= (IPV4.test(address) ? 32 : 128);
}

/** A DNS host name. An all-digit last label is refused: "192.168.1.256" is a typo, not a name. */
export function isHostName(value: string): boolean {
  return typeof value === "string" && HOSTNAME.test(value) && !/(^|\.)[0-9]+$/.test(value);
}

/** Milliseconds of a duration such as "5s", or undefined when it is not one. */
export function durationMilliseconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const factors: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * factors[match[2]];
}

const SAMPLE_EXPRESSION = /^%\[([A-Za-z0-9_.-]+)(\([A-Za-z0-9_.,:\/ -]*\))?((,[A-Za-z0-9_]+(\([A-Za-z0-9_.,:\/ -]*\))?)*)\]/;
const LOG_VARIABLE = /^%(\{[+-][A-Za-z]+(,[+-][A-Za-z]+)*\})?[A-Za-z]{1,6}/;

/**
 * Problems of a log-format string (header values, redirect locations, log-format): `%` must be
 * `%%` (a literal percent) or start a sample expression `%[fetch(args),converter]` with a fetch
 * usable in `context`; log-format lines may also use log variables (`%ci`, `%{+Q}r`). Returns the
 * message, or undefined when the string is fine.
 */
export function logFormatProblem(value: string, context: SampleContext): string | undefined {
  for (let i = value.indexOf("%"); i !== -1; i = value.indexOf("%", i)) {
    const rest = value.slice(i);
    if (rest.startsWith("%%")) {
      i += 2;
      continue;
    }
    const sample = SAMPLE_EXPRESSION.exec(rest);
    if (sample) {
      const where = SAMPLE_FETCHES.get(sample[1]);
      if (where === undefined) {
        return `uses an unknown sample fetch '${sample[1]}' in %[…]: HAProxy refuses to start on unknown fetches. Use one it has (e.g. %[src], %[req.hdr(host)]), or '%%' for a literal percent.${suggest(sample[1], [...SAMPLE_FETCHES.keys()])}`;
      }
      if (!where.includes(context)) {
        return `uses %[${sample[1]}…] ${CONTEXT_NAMES[context]}, where HAProxy has no such data and refuses to start: use a fetch available there (e.g. %[src]).`;
      }
      i += sample[0].length;
      continue;
    }
    const variable = context === "log" ? LOG_VARIABLE.exec(rest) : null;
    if (variable) {
      i += variable[0].length;
      continue;
    }
    return `has '%' at position ${i} outside a sample expression: HAProxy reads this value as a log-format string. Write '%%' for a literal percent, or %[fetch] (e.g. %[src]).`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The checker

/** Collects problems; later checks stay quiet on a path the string walk already rejected. */
class Problems {
  readonly list: ConfigProblem[] = [];
  private readonly badStrings = new Set<string>();

  report(path: string, message: string, severity: Severity = "error"): void {
    if (severity === "error" && this.badStrings.has(path)) return;
    this.list.push({ severity, path, message });
  }
  error(path: string, message: string): void {
    this.report(path, message, "error");
  }
  warn(path: string, message: string): void {
    this.report(path, message, "warning");
  }
  markBadString(path: string, message: string): void {
    this.list.push({ severity: "error", path, message });
    this.badStrings.add(path);
  }
}

const show = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value));
const isInteger = (value: unknown, min: number, max: number): boolean => typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
const list = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);

/** Every string anywhere in the model, with its path. */
function walkStrings(value: unknown, path: string, visit: (path: string, value: string) => void): void {
  if (typeof value === "string") visit(path, value);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, `${path}[${index}]`, visit));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) walkStrings(item, path ? `${path}.${key}` : key, visit);
  }
}

interface Context {
  readonly p: Problems;
  /** Names a use_backend/default_backend may target: backends and listens. */
  readonly backendNames: readonly string[];
  readonly backendModes: ReadonlyMap<string, "http" | "tcp">;
  readonly backendConnectionModes: ReadonlyMap<string, string | undefined>;
  readonly userlists: ReadonlySet<string>;
  /** The defaults section proxies inherit from: the last one (all render before the proxies). */
  readonly defaults?: DefaultsSection;
}

function checkEnum(p: Problems, path: string, value: unknown, allowed: readonly (string | number)[]): boolean {
  if (value === undefined) return true;
  if (!allowed.includes(value as string | number)) {
    p.error(path, `${show(value)} is not valid here: use one of ${allowed.join(", ")}.`);
    return false;
  }
  return true;
}

function checkName(p: Problems, path: string, name: unknown, what: string): void {
  if (typeof name !== "string" || !NAME.test(name)) {
    p.error(path, `${show(name)} is not a valid ${what} name: HAProxy accepts only letters, digits, '-', '_', '.' and ':' (e.g. "servidores").`);
  }
}

function checkToken(p: Problems, path: string, value: unknown, pattern: RegExp, what: string, example: string, required = false): void {
  if (value === undefined) {
    if (required) p.error(path, `is missing: give ${what}, e.g. ${example}.`);
    return;
  }
  if (typeof value !== "string" || !pattern.test(value)) p.error(path, `${show(value)} is not ${what}: write e.g. ${example}.`);
}

function checkFilePath(p: Problems, path: string, value: unknown, what: string, example: string, { absolute = false, required = false } = {}): void {
  if (value === undefined) {
    if (required) p.error(path, `is missing: give the ${what} path, e.g. ${example}.`);
    return;
  }
  if (typeof value !== "string" || !FILE_PATH.test(value) || (absolute && !value.startsWith("/"))) {
    p.error(path, `${show(value)} is not a usable ${what} path: HAProxy must read it as one word, so use ${absolute ? "an absolute path with " : ""}letters, digits and / . _ - + @ , = only, e.g. ${example}.`);
  }
}

function checkText(p: Problems, path: string, value: unknown, what: string, required = false): void {
  if (value === undefined) {
    if (required) p.error(path, `is missing: give ${what}.`);
  } else if (typeof value !== "string") p.error(path, `${show(value)} is not text: ${what} must be a string.`);
}

function checkDuration(p: Problems, path: string, value: unknown, what = "duration"): void {
  if (value === undefined) return;
  const ms = typeof value === "string" ? durationMilliseconds(value) : undefined;
  if (ms === undefined || typeof value !== "string") {
    p.error(path, `${show(value)} is not a ${what}: write a whole number and a unit (us, ms, s, m, h, d), e.g. "5s". HAProxy 1.4's bare milliseconds (5000) are ambiguous: write "5000ms" or "5s".`);
  } else if (ms <= 0) {
    p.error(path, `${value} must be greater than zero: HAProxy treats 0 as "no ${what}". Give a positive time, or leave the field out.`);
  } else if (ms > MAX_DURATION_MS) {
    p.error(path, `${value} is longer than HAProxy's limit (2147483647 ms, about 24.8 days): use a shorter time.`);
  } else if (ms < MIN_SANE_DURATION_MS) {
    p.warn(path, `${value} is very short for a ${what} (under 100 ms): connections and checks will fail on any hiccup. Did you mean ${value.replace(/(us|ms)$/, "s")}?`);
  }
}

function checkPort(p: Problems, path: string, port: unknown): void {
  if (port !== undefined && !isInteger(port, 1, 65535)) p.error(path, `${show(port)} is not a TCP port: use an integer from 1 to 65535.`);
}

function checkCount(p: Problems, path: string, value: unknown, min: number, max: number, what: string): void {
  if (value !== undefined && !isInteger(value, min, max)) p.error(path, `${show(value)} is not a valid ${what}: use an integer from ${min} to ${max}.`);
}

function checkBoolean(p: Problems, path: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") p.error(path, `${show(value)} is not true or false.`);
}

function checkList(p: Problems, path: string, value: unknown, required: boolean): boolean {
  if (value === undefined && !required) return true;
  if (!Array.isArray(value)) {
    p.error(path, `${show(value)} is not a list: give an array${required ? " (it may be empty)" : " or leave the field out"}.`);
    return false;
  }
  return true;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string, report: (index: number, first: number) => void): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) report(index, first);
    else seen.set(k, index);
  });
}

// ---------------------------------------------------------------------------------------------
// Rules per directive

function checkLogTargets(p: Problems, path: string, targets: readonly LogTarget[]): void {
  targets.forEach((target, index) => {
    const at = `${path}[${index}]`;
    checkToken(p, `${at}.target`, target.target, LOG_TARGET, "a log target", '"/dev/log", "127.0.0.1:514" or "stdout"', true);
    if (target.facility === undefined) p.error(`${at}.facility`, "a log line needs a syslog facility, e.g. local0.");
    checkEnum(p, `${at}.facility`, target.facility, FACILITIES);
    checkEnum(p, `${at}.level`, target.level, LEVELS);
    checkEnum(p, `${at}.minLevel`, target.minLevel, LEVELS);
    if (target.minLevel !== undefined && target.level === undefined) p.error(`${at}.minLevel`, "minLevel needs level: HAProxy reads the first level after the facility as the maximum. Set level too.");
  });
}

function checkServerOptions(p: Problems, path: string, options: ServerOptions): void {
  if (options.weight !== undefined && !isInteger(options.weight, 0, 256)) {
    p.error(`${path}.weight`, `${show(options.weight)} is out of range: HAProxy weights are integers from 0 to 256 (0 drains the server).`);
  }
  checkBoolean(p, `${path}.check`, options.check);
  checkDuration(p, `${path}.inter`, options.inter, "check interval");
  checkDuration(p, `${path}.fastinter`, options.fastinter, "check interval");
  checkDuration(p, `${path}.downinter`, options.downinter, "check interval");
  checkCount(p, `${path}.rise`, options.rise, 1, 1000, "rise count (successful checks before a server is UP)");
  checkCount(p, `${path}.fall`, options.fall, 1, 1000, "fall count (failed checks before a server is DOWN)");
  checkCount(p, `${path}.maxconn`, options.maxconn, 1, 1_000_000, "server maxconn");
  if (options.source !== undefined && !isIpAddress(options.source)) {
    p.error(`${path}.source`, `${show(options.source)} is not an IP address: 'source' takes the local address to connect from, e.g. the frontend's "192.168.1.20".`);
  }
  checkEnum(p, `${path}.sendProxy`, options.sendProxy, ["v1", "v2"]);
  if (options.ssl !== undefined) {
    checkEnum(p, `${path}.ssl.verify`, options.ssl.verify, ["none", "required"]);
    if (options.ssl.verify === "required") checkFilePath(p, `${path}.ssl.caFile`, options.ssl.caFile, "CA file", '"/etc/ssl/certs/ca-certificates.crt"', { required: true });
    if (options.ssl.sni !== undefined && !isHostName(options.ssl.sni)) p.error(`${path}.ssl.sni`, `${show(options.ssl.sni)} is not a host name to send as SNI: write e.g. "www.example.com".`);
  }
  const intervals = options.inter ?? options.fastinter ?? options.downinter ?? options.rise ?? options.fall;
  if (intervals !== undefined && options.check === false) {
    p.warn(`${path}.check`, "check intervals are set but check is false, so they do nothing: set check to true or drop them.");
  }
}

function checkCondition(p: Problems, path: string, condition: Condition, acls: ReadonlySet<string>): void {
  if (typeof condition !== "object" || condition === null) {
    p.error(path, `${show(condition)} is not a condition: write { op: "if", terms: [{ acl: "url_static" }] }.`);
    return;
  }
  checkEnum(p, `${path}.op`, condition.op, ["if", "unless"]);
  if (!Array.isArray(condition.terms) || condition.terms.length === 0) {
    p.error(`${path}.terms`, 'a condition needs at least one ACL term, e.g. [{ acl: "url_static" }].');
    return;
  }
  if (condition.terms.length > MAX_CONDITION_TERMS) {
    p.error(`${path}.terms`, `${condition.terms.length} terms do not fit on one HAProxy line (64 words at most): use at most ${MAX_CONDITION_TERMS}, grouping patterns into fewer ACLs.`);
  }
  condition.terms.forEach((term, index) => {
    const at = `${path}.terms[${index}]`;
    checkEnum(p, `${at}.join`, term.join, ["and", "or"]);
    checkBoolean(p, `${at}.negate`, term.negate);
    if (index === 0 && term.join === "or") p.error(`${at}.join`, "the first term cannot start with 'or': remove join from it.");
    if (typeof term.acl !== "string" || !acls.has(term.acl)) {
      p.error(`${at}.acl`, `ACL '${String(term.acl)}' is not declared in this section: declare it with an acl line or fix the name.${suggest(String(term.acl), [...acls])}`);
    }
  });
}

function aclArgument(criterion: Acl["criterion"]): readonly [string, string] | undefined {
  if ("header" in criterion) return ["header", criterion.header];
  if ("param" in criterion) return ["param", criterion.param];
  if ("userlist" in criterion) return ["userlist", criterion.userlist];
  if ("backend" in criterion) return ["backend", criterion.backend];
  return undefined;
}

const INT_PATTERN = /^(eq|ge|gt|le|lt|\d+(:\d+)?|:\d+|\d+:)$/;
const PORT_PATTERN = /^(eq|ge|gt|le|lt|\d{1,5}(:\d{1,5})?)$/;

function checkAclValues(p: Problems, at: string, acl: Acl): void {
  const fetch = acl.criterion.fetch;
  const match = acl.match;
  const regex = match === "reg" || (match === undefined && (fetch.endsWith("_reg")));
  const ip = match === "ip" || (match === undefined && (fetch === "src" || fetch === "dst"));
  const integer = match === "int" || match === "len" || (match === undefined && (fetch === "hdr_cnt" || fetch === "nbsrv"));
  acl.values.forEach((value, index) => {
    const vat = `${at}.values[${index}]`;
    if (typeof value !== "string") return;
    if (regex) {
      try {
        new RegExp(value);
      } catch (error) {
        p.error(vat, `${show(value)} is not a valid regular expression (${(error as Error).message}): HAProxy refuses to start on it. Fix the pattern.`);
      }
    } else if (ip && !isNetwork(value)) {
      p.error(vat, `${show(value)} is not an IP address or network: ${fetch} patterns are addresses such as "192.168.1.0/24" (HAProxy refuses host names that do not resolve).`);
    } else if (integer && !INT_PATTERN.test(value)) {
      p.error(vat, `${show(value)} is not an integer pattern: write a number, a range "1:5", or an operator (eq, ge, gt, le, lt) followed by a number.`);
    } else if (fetch === "dst_port" && match === undefined && !PORT_PATTERN.test(value)) {
      p.error(vat, `${show(value)} is not a port pattern: write a port or a range such as "8000:8080".`);
    }
  });
}

function checkAcls(p: Problems, path: string, acls: readonly Acl[], ctx: Context, mode: "http" | "tcp"): void {
  acls.forEach((acl, index) => {
    const at = `${path}[${index}]`;
    checkName(p, `${at}.name`, acl.name, "ACL");
    if (acl.name === "or") p.error(`${at}.name`, "an ACL cannot be named 'or': HAProxy reads 'or' in a condition as the logical operator, so this ACL could never match. Rename it.");
    const criterion = acl.criterion;
    if (typeof criterion !== "object" || criterion === null) {
      p.error(`${at}.criterion`, `${show(criterion)} is not an ACL criterion: write e.g. { fetch: "path_end" }.`);
      return;
    }
    if (!checkEnum(p, `${at}.criterion.fetch`, criterion.fetch, FETCHES)) return;
    checkEnum(p, `${at}.match`, acl.match, MATCHES);
    checkBoolean(p, `${at}.ignoreCase`, acl.ignoreCase);
    const argument = aclArgument(criterion);
    if (argument && (typeof argument[1] !== "string" || !FETCH_ARGUMENT.test(argument[1]))) {
      p.error(`${at}.criterion.${argument[0]}`, `${show(argument[1])} cannot be written inside ${criterion.fetch}(…): use letters, digits, '-', '_' and '.' only (e.g. "host").`);
    }
    if ("userlist" in criterion && typeof criterion.userlist === "string" && !ctx.userlists.has(criterion.userlist)) {
      p.error(`${at}.criterion.userlist`, `userlist '${criterion.userlist}' is not declared: add it under userlists or fix the name.${suggest(criterion.userlist, [...ctx.userlists])}`);
    }
    if ("backend" in criterion && typeof criterion.backend === "string" && !ctx.backendNames.includes(criterion.backend)) {
      p.error(`${at}.criterion.backend`, `backend '${criterion.backend}' is not declared: fix the name or declare the backend.${suggest(criterion.backend, ctx.backendNames)}`);
    }
    if (mode === "tcp" && HTTP_FETCHES.has(criterion.fetch)) {
      p.warn(`${at}.criterion.fetch`, `${criterion.fetch} reads HTTP, but this section is in mode tcp, where it only matches after an HTTP upgrade: set mode http, or use a layer-4 fetch (src, dst_port).`);
    }
    if (!checkList(p, `${at}.values`, acl.values, true)) return;
    const booleanFetch = criterion.fetch === "ssl_fc" || criterion.fetch === "http_auth" || criterion.fetch === "http_auth_group";
    if (acl.values.length === 0 && !booleanFetch && acl.match !== "found" && acl.match !== "bool") {
      p.error(`${at}.values`, `ACL '${acl.name}' has no pattern to match, so it never matches: add values (e.g. [".gif", ".png"]) or use match "found".`);
    }
    if (acl.values.length > MAX_ACL_VALUES) {
      p.error(`${at}.values`, `${acl.values.length} patterns do not fit on one HAProxy line (64 words at most): keep at most ${MAX_ACL_VALUES} per ACL and join two ACLs with "or" in the condition.`);
    }
    checkAclValues(p, at, acl);
    duplicates(acl.values, (v) => v, (i, first) => p.warn(`${at}.values[${i}]`, `'${acl.values[i]}' repeats values[${first}] (the seed lists .png twice): remove it.`));
  });
  duplicates(acls, (a) => a.name, (i, first) =>
    p.error(`${path}[${i}].name`, `ACL '${acls[i].name}' is declared twice (also at [${first}]); HAProxy would OR the two silently: merge the values into one ACL or rename one.`),
  );
}

function checkLogFormatField(p: Problems, path: string, value: unknown, context: SampleContext): void {
  if (typeof value !== "string") return;
  const problem = logFormatProblem(value, context);
  if (problem) p.error(path, `${show(value)} ${problem}`);
}

function checkRealm(p: Problems, path: string, realm: unknown): void {
  checkText(p, path, realm, "the realm");
  if (typeof realm === "string" && /["\\]/.test(realm)) {
    p.error(path, `${show(realm)} holds '"' or '\\', which HAProxy copies into the WWW-Authenticate header unescaped, breaking it: remove them (e.g. "HAProxy Statistics").`);
  }
}

function checkHeaderName(p: Problems, path: string, name: unknown): void {
  if (typeof name !== "string" || !HEADER_NAME.test(name)) p.error(path, `${show(name)} is not an HTTP header name: use a token such as "X-Forwarded-Proto" (letters, digits and !%&*+.^_\`|~-).`);
}

/** Request-only ACL fetches: in http-response rules HAProxy says they "will never match". */
const REQUEST_ONLY_ACL_FETCHES: ReadonlySet<string> = new Set(["path", "path_beg", "path_end", "path_sub", "path_reg", "path_dir", "url", "url_beg", "url_end", "url_sub", "url_reg", "req.ver", "hdr", "hdr_beg", "hdr_end", "hdr_sub", "hdr_dom", "hdr_reg", "hdr_cnt", "url_param", "http_auth", "http_auth_group"]);
/** http-request actions that end rule processing: an unconditional one makes every later rule dead. */
const FINAL_ACTIONS: ReadonlySet<string> = new Set(["deny", "redirect", "return", "auth"]);

function checkHttpRules(p: Problems, path: string, rules: readonly (HttpRequestRule | HttpResponseRule)[], acls: readonly Acl[], context: SampleContext): void {
  const response = context === "response";
  const aclNames = new Set(acls.map((a) => a.name));
  const fetchOf = new Map(acls.map((a) => [a.name, a.criterion?.fetch] as const));
  let finalRule: number | undefined;
  const actions = response ? ["set-header", "add-header", "del-header"] : ["set-header", "add-header", "del-header", "deny", "redirect", "return", "auth"];
  rules.forEach((rule, index) => {
    const at = `${path}[${index}]`;
    if (!checkEnum(p, `${at}.action`, rule.action, actions)) return;
    if (finalRule !== undefined) {
      p.warn(at, `never runs: ${path.split(".").pop()}[${finalRule}] (${rules[finalRule].action}) has no condition and ends the rules. Give that rule a condition or move this one above it.`);
    }
    const request = rule as HttpRequestRule;
    switch (request.action) {
      case "set-header":
      case "add-header":
        checkHeaderName(p, `${at}.name`, request.name);
        checkText(p, `${at}.value`, request.value, "a header value", true);
        checkLogFormatField(p, `${at}.value`, request.value, context);
        break;
      case "del-header":
        checkHeaderName(p, `${at}.name`, request.name);
        break;
      case "deny":
        checkEnum(p, `${at}.denyStatus`, request.denyStatus, DENY_STATUSES);
        break;
      case "redirect":
        checkEnum(p, `${at}.type`, request.type, ["location", "prefix", "scheme"]);
        checkEnum(p, `${at}.code`, request.code, [301, 302, 303, 307, 308]);
        if (request.type === "scheme") checkToken(p, `${at}.target`, request.target, SCHEME, "a URL scheme", '"https"', true);
        else {
          checkText(p, `${at}.target`, request.target, "the redirect target", true);
          checkLogFormatField(p, `${at}.target`, request.target, context);
        }
        break;
      case "return":
        checkCount(p, `${at}.status`, request.status, 200, 599, "HTTP status");
        checkText(p, `${at}.contentType`, request.contentType, "the content type");
        checkText(p, `${at}.body`, request.body, "the body");
        if (request.body !== undefined && request.contentType === undefined) {
          p.error(`${at}.contentType`, 'a body needs a content type (HAProxy refuses it otherwise): set contentType, e.g. "text/plain".');
        }
        if (request.body === undefined && request.contentType !== undefined) {
          p.warn(`${at}.contentType`, "a content type without a body is ignored: set body or drop contentType.");
        }
        if (request.body !== undefined && (request.status === 204 || request.status === 304)) {
          p.error(`${at}.body`, `a ${request.status} response has no body (HAProxy refuses one): drop body and contentType, or use status 200.`);
        }
        break;
      case "auth":
        checkRealm(p, `${at}.realm`, request.realm);
        break;
    }
    if (rule.condition !== undefined) {
      checkCondition(p, `${at}.condition`, rule.condition, aclNames);
      if (response && Array.isArray(rule.condition.terms)) {
        rule.condition.terms.forEach((term, t) => {
          const fetch = fetchOf.get(term.acl);
          if (fetch !== undefined && REQUEST_ONLY_ACL_FETCHES.has(fetch)) {
            p.warn(`${at}.condition.terms[${t}].acl`, `ACL '${term.acl}' reads the request (${fetch}), which HAProxy no longer has in http-response rules, so it never matches: use a response or connection fetch (src, method, ssl_fc), or move the rule to http-request.`);
          }
        });
      }
    } else if (!response && FINAL_ACTIONS.has(rule.action) && finalRule === undefined) {
      finalRule = index;
    }
  });
}

function checkStats(p: Problems, path: string, stats: Stats, acls: ReadonlySet<string>, userlists: ReadonlySet<string>, mode: "http" | "tcp"): void {
  if (stats.enable !== true) p.error(`${path}.enable`, "stats.enable must be true: leave stats out to disable the page.");
  if (mode === "tcp") p.error(path, "the stats page needs mode http (HAProxy ignores it in mode tcp): set mode http or move stats to an HTTP frontend.");
  checkToken(p, `${path}.uri`, stats.uri, URL_PATH, "a URL path", '"/stats"');
  checkRealm(p, `${path}.realm`, stats.realm);
  checkDuration(p, `${path}.refresh`, stats.refresh, "refresh interval");
  checkBoolean(p, `${path}.hideVersion`, stats.hideVersion);
  checkBoolean(p, `${path}.showLegends`, stats.showLegends);
  if (stats.admin !== undefined) checkCondition(p, `${path}.admin`, stats.admin, acls);
  const auth = stats.auth;
  if (auth === undefined) {
    p.warn(`${path}.auth`, `the stats page has no authentication: anyone who reaches it can read it${stats.admin ? " and drain servers" : ""}. Add auth: a userlist with a hashed password.`);
    return;
  }
  if (!checkEnum(p, `${path}.auth.kind`, auth.kind, ["inline", "userlist"])) return;
  if (auth.kind === "inline") {
    if (!checkList(p, `${path}.auth.credentials`, auth.credentials, true)) return;
    if (auth.credentials.length === 0) p.error(`${path}.auth.credentials`, "stats auth needs at least one user and password: add { user, password }, or use a userlist with a hashed password.");
    auth.credentials.forEach((credentials, index) => {
      const at = `${path}.auth.credentials[${index}]`;
      if (typeof credentials.user !== "string" || credentials.user === "" || credentials.user.includes(":")) {
        p.error(`${at}.user`, `${show(credentials.user)} cannot be a stats user: HAProxy splits user:password at the first ':', so the user must be non-empty and hold no ':'.`);
      }
      if (typeof credentials.password !== "string" || credentials.password === "") p.error(`${at}.password`, "the password is empty: set one (or use a userlist with a hashed password).");
    });
    duplicates(auth.credentials, (c) => c.user, (i, first) => p.error(`${path}.auth.credentials[${i}].user`, `user '${auth.credentials[i].user}' is listed twice (also at [${first}]): remove one.`));
    p.warn(`${path}.auth`, "inline stats auth keeps the password in clear text in haproxy.cfg (and in EC2 user-data): prefer a userlist with a SHA-512 hash (sha512Crypt).");
  } else if (typeof auth.userlist !== "string" || !userlists.has(auth.userlist)) {
    p.error(`${path}.auth.userlist`, `userlist '${String(auth.userlist)}' is not declared: add it under userlists or fix the name.${suggest(String(auth.userlist), [...userlists])}`);
  } else if (!FETCH_ARGUMENT.test(auth.userlist)) {
    p.error(`${path}.auth.userlist`, `'${auth.userlist}' cannot be written inside http_auth(…): rename the userlist with letters, digits, '-', '_' and '.' only.`);
  }
}

function checkCookie(p: Problems, path: string, cookie: CookiePersistence): void {
  checkName(p, `${path}.name`, cookie.name, "cookie");
  if (!checkEnum(p, `${path}.mode`, cookie.mode, ["insert", "rewrite", "prefix"])) return;
  checkBoolean(p, `${path}.indirect`, cookie.indirect);
  checkBoolean(p, `${path}.preserve`, cookie.preserve);
  if (cookie.mode === "prefix" && cookie.indirect) {
    p.warn(`${path}.indirect`, "the manual advises against 'indirect' with 'prefix': the server would see a cookie it did not set and may drop the session. Drop indirect.");
  }
  if (cookie.mode === "insert") {
    checkDuration(p, `${path}.maxidle`, cookie.maxidle, "cookie idle time");
    checkDuration(p, `${path}.maxlife`, cookie.maxlife, "cookie lifetime");
    if (checkList(p, `${path}.domain`, cookie.domain, false)) {
      list(cookie.domain).forEach((domain, index) => checkToken(p, `${path}.domain[${index}]`, domain, COOKIE_DOMAIN, "a cookie domain", '".example.com"'));
      if (list(cookie.domain).length > 10) p.error(`${path}.domain`, "more than 10 domains do not fit on one cookie line: keep at most 10.");
    }
    if (cookie.preserve && !cookie.maxidle && !cookie.maxlife) {
      p.warn(`${path}.preserve`, "preserve only matters with maxidle or maxlife: set one of them or drop preserve.");
    }
  }
}

function checkHttpCheck(p: Problems, path: string, section: ProxyCommon & Partial<ServerSide>): void {
  const httpchk = section.option?.httpchk;
  if (httpchk !== undefined) {
    checkEnum(p, `${path}.option.httpchk.method`, httpchk.method, METHODS);
    checkEnum(p, `${path}.option.httpchk.version`, httpchk.version, ["HTTP/1.0", "HTTP/1.1"]);
    checkToken(p, `${path}.option.httpchk.uri`, httpchk.uri, URL_PATH, "a URL path", '"/index.html"');
    if (httpchk.host !== undefined && !isHostName(httpchk.host) && !isIpAddress(httpchk.host)) {
      p.error(`${path}.option.httpchk.host`, `${show(httpchk.host)} is not a host name for the Host header: write e.g. "localhost" or "www.example.com".`);
    }
    if (httpchk.version === "HTTP/1.1" && httpchk.host === undefined) {
      p.warn(`${path}.option.httpchk.host`, "HTTP/1.1 checks without a Host header get 400 from most servers: set host (e.g. \"localhost\").");
    }
  }
  const expect = section.httpCheckExpect;
  if (expect !== undefined) {
    if (!checkEnum(p, `${path}.httpCheckExpect.match`, expect.match, ["status", "rstatus", "string", "rstring"])) return;
    checkBoolean(p, `${path}.httpCheckExpect.negate`, expect.negate);
    if (expect.match === "status") {
      checkToken(p, `${path}.httpCheckExpect.value`, expect.value, /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, "a status list", '"200" or "200-399"', true);
    } else {
      checkText(p, `${path}.httpCheckExpect.pattern`, expect.pattern, "the pattern", true);
      if ((expect.match === "rstatus" || expect.match === "rstring") && typeof expect.pattern === "string") {
        try {
          new RegExp(expect.pattern);
        } catch (error) {
          p.error(`${path}.httpCheckExpect.pattern`, `${show(expect.pattern)} is not a valid regular expression (${(error as Error).message}): fix the pattern.`);
        }
      }
    }
    if (httpchk === undefined) p.warn(`${path}.httpCheckExpect`, "http-check expect does nothing without option httpchk (HAProxy ignores the rule): set option.httpchk.");
  }
}

function checkCommon(ctx: Context, path: string, section: ProxyCommon & Partial<ServerSide>, acls: ReadonlySet<string>, kind: "defaults" | "frontend" | "backend" | "listen"): void {
  const { p } = ctx;
  checkEnum(p, `${path}.mode`, section.mode, ["http", "tcp"]);
  const mode = section.mode ?? ctx.defaults?.mode ?? "tcp";
  if (section.log !== undefined && section.log !== "global") {
    if (Array.isArray(section.log)) checkLogTargets(p, `${path}.log`, section.log);
    else p.error(`${path}.log`, `${show(section.log)} is not valid: use "global" or a list of log targets.`);
  }
  if (section.logFormat !== undefined) {
    checkText(p, `${path}.logFormat`, section.logFormat, "log-format");
    checkLogFormatField(p, `${path}.logFormat`, section.logFormat, "log");
    if (kind === "backend") p.error(`${path}.logFormat`, "HAProxy ignores log-format in a backend (logs are written by the frontend): move it to the frontend or defaults.");
    else if ((section.log ?? ctx.defaults?.log) === undefined) p.warn(`${path}.logFormat`, 'log-format is ignored without a log target: set log ("global" or targets) here or in defaults.');
  }
  checkCount(p, `${path}.maxconn`, section.maxconn, 1, 10_000_000, "maxconn");

  const option = section.option ?? {};
  if (option.httplog !== undefined && option.httplog !== true && option.httplog !== false && option.httplog !== "clf") p.error(`${path}.option.httplog`, `${show(option.httplog)} is not valid: use true, false or "clf".`);
  checkBoolean(p, `${path}.option.tcplog`, option.tcplog);
  checkBoolean(p, `${path}.option.dontlognull`, option.dontlognull);
  checkBoolean(p, `${path}.option.abortonclose`, option.abortonclose);
  checkBoolean(p, `${path}.option.http-buffer-request`, option["http-buffer-request"]);
  checkBoolean(p, `${path}.option.idle-close-on-response`, option["idle-close-on-response"]);
  if (kind === "backend" && option["idle-close-on-response"]) p.error(`${path}.option.idle-close-on-response`, "idle-close-on-response acts on client connections, which a backend does not have: move it to the frontend or defaults.");
  if (option.tcplog && option.httplog) p.error(`${path}.option.tcplog`, "httplog and tcplog are both set: keep one (httplog for mode http, tcplog for mode tcp).");
  if (option.forwardfor !== undefined && option.forwardfor !== true) {
    const ff = option.forwardfor;
    if (ff.except !== undefined && !isNetwork(ff.except)) p.error(`${path}.option.forwardfor.except`, `${show(ff.except)} is not a network: write an address with a prefix length, e.g. "127.0.0.0/8".`);
    if (ff.header !== undefined) checkHeaderName(p, `${path}.option.forwardfor.header`, ff.header);
    checkBoolean(p, `${path}.option.forwardfor.ifNone`, ff.ifNone);
  }
  if (option.redispatch !== undefined && option.redispatch !== true) {
    const interval = option.redispatch.interval;
    if (!isInteger(interval, -1000, 1000)) p.error(`${path}.option.redispatch.interval`, `${show(interval)} is not a redispatch interval: use 1 to redispatch on every retry, N for every Nth, -1 for the last one only.`);
    else if (interval === 0) p.warn(`${path}.option.redispatch.interval`, "redispatch 0 disables redispatch: use 1 (redispatch on the first retry) or drop the option.");
  }
  if (option.redispatch) {
    const retries = section.retries ?? ctx.defaults?.retries ?? 3;
    if (retries === 0) p.warn(`${path}.option.redispatch`, "redispatch only acts on a retry, and retries is 0, so it never happens: set retries to 1 or more.");
  }
  if (mode === "tcp") {
    // Set here: a contradiction (error). Inherited from an HTTP defaults section: HAProxy ignores
    // it for this proxy with a startup warning, and so do we.
    const httpOnly = (from: ProxyCommon & Partial<ServerSide>, inherited: boolean): string[] =>
      [
        from.option?.httplog && kind !== "backend" && !(inherited && section.option?.tcplog) ? "option.httplog" : undefined,
        from.option?.forwardfor ? "option.forwardfor" : undefined,
        from.option?.["http-buffer-request"] ? "option.http-buffer-request" : undefined,
        from.option?.["idle-close-on-response"] && kind !== "backend" ? "option.idle-close-on-response" : undefined,
        !inherited && from.connectionMode ? "connectionMode" : undefined,
        from.cookie && kind !== "frontend" ? "cookie" : undefined,
        !inherited && from.httpReuse ? "httpReuse" : undefined,
        from.stats ? "stats" : undefined,
        from.balance && ["uri", "url_param", "hdr"].includes(from.balance.algorithm) && kind !== "frontend" ? "balance" : undefined,
      ].filter((x): x is string => x !== undefined);
    for (const field of httpOnly(section, false)) {
      if (field !== "stats" && field !== "balance") p.error(`${path}.${field}`, `${field} needs mode http, but this section is in mode tcp: set mode http (here or in defaults) or drop it.`);
    }
    if (kind !== "defaults" && ctx.defaults !== undefined && section.mode === "tcp") {
      const own = new Set(httpOnly(section, false));
      const inherited = httpOnly(ctx.defaults, true).filter((field) => !own.has(field) && !(field === "balance" && section.balance) && !(field === "cookie" && section.cookie));
      if (inherited.length > 0) {
        p.warn(`${path}.mode`, `this ${kind} in mode tcp inherits ${inherited.join(", ")} from defaults, which HAProxy ignores here (with a startup warning): move ${inherited.length === 1 ? "it" : "them"} from defaults to the HTTP proxies.`);
      }
    }
  }
  checkEnum(p, `${path}.connectionMode`, section.connectionMode, ["httpclose", "http-server-close", "http-keep-alive"]);

  if (section.timeout !== undefined) {
    for (const [name, value] of Object.entries(section.timeout)) {
      if (!(TIMEOUTS as readonly string[]).includes(name)) p.error(`${path}.timeout.${name}`, `'${name}' is not a HAProxy timeout: use one of ${TIMEOUTS.join(", ")}.${suggest(name, TIMEOUTS)}`);
      else checkDuration(p, `${path}.timeout.${name}`, value, `timeout ${name}`);
    }
  }
  if (checkList(p, `${path}.errorfiles`, section.errorfiles, false)) {
    list(section.errorfiles).forEach((errorfile, index) => {
      checkEnum(p, `${path}.errorfiles[${index}].status`, errorfile.status, ERRORFILE_STATUSES);
      checkFilePath(p, `${path}.errorfiles[${index}].file`, errorfile.file, "errorfile", '"/etc/haproxy/errors/503.http"', { required: true });
    });
    duplicates(list(section.errorfiles), (e) => String(e.status), (i, first) => p.warn(`${path}.errorfiles[${i}].status`, `status ${list(section.errorfiles)[i].status} already has an errorfile at [${first}]; HAProxy keeps the last one: remove one.`));
  }
  if (section.stats !== undefined) checkStats(p, `${path}.stats`, section.stats, acls, ctx.userlists, mode);

  // Server-side keywords (defaults, backend, listen).
  if (section.balance !== undefined && checkEnum(p, `${path}.balance.algorithm`, section.balance.algorithm, BALANCES)) {
    const balance = section.balance;
    if (balance.algorithm === "hdr") checkToken(p, `${path}.balance.header`, balance.header, FETCH_ARGUMENT, "a header name usable in hdr(…)", '"host"');
    if (balance.algorithm === "url_param") {
      checkToken(p, `${path}.balance.param`, balance.param, FETCH_ARGUMENT, "a URL parameter name", '"userid"');
      checkCount(p, `${path}.balance.checkPost`, balance.checkPost, 1, 1_000_000, "check_post byte count");
    }
    if (balance.algorithm === "rdp-cookie") checkToken(p, `${path}.balance.name`, balance.name, FETCH_ARGUMENT, "a cookie name", '"mstshash"');
    if (balance.algorithm === "random") checkCount(p, `${path}.balance.draws`, balance.draws, 1, 100, "number of draws");
    if (balance.algorithm === "uri") {
      checkCount(p, `${path}.balance.len`, balance.len, 1, 65535, "URI length");
      checkCount(p, `${path}.balance.depth`, balance.depth, 1, 1000, "URI depth");
    }
    if ((balance.algorithm === "uri" || balance.algorithm === "url_param" || balance.algorithm === "hdr") && mode === "tcp") {
      p.error(`${path}.balance.algorithm`, `balance ${balance.algorithm} reads HTTP and needs mode http: set mode http or choose roundrobin, leastconn or source.`);
    }
  }
  if (section.cookie !== undefined) checkCookie(p, `${path}.cookie`, section.cookie);
  checkHttpCheck(p, path, section);
  checkCount(p, `${path}.retries`, section.retries, 0, 100, "retries count");
  if (checkList(p, `${path}.retryOn`, section.retryOn, false)) {
    const events = list(section.retryOn);
    events.forEach((event, index) => checkEnum(p, `${path}.retryOn[${index}]`, event, RETRY_ON));
    duplicates(events, (e) => e, (i, first) => p.warn(`${path}.retryOn[${i}]`, `'${events[i]}' repeats retryOn[${first}]: remove it.`));
    if (events.includes("none") && events.length > 1) p.error(`${path}.retryOn`, "'none' cannot be combined with other events: keep 'none' alone or drop it.");
    if (events.length > 0 && !events.includes("none") && (section.retries ?? ctx.defaults?.retries ?? 3) === 0) {
      p.warn(`${path}.retryOn`, "retry-on does nothing with retries 0: set retries to 1 or more.");
    }
  }
  checkEnum(p, `${path}.httpReuse`, section.httpReuse, ["never", "safe", "aggressive", "always"]);
  if (section.defaultServer !== undefined) checkServerOptions(p, `${path}.defaultServer`, section.defaultServer);
}

function checkBinds(p: Problems, path: string, binds: readonly Bind[]): void {
  if (binds.length === 0) p.error(path, "no bind line: HAProxy would accept no client. Add { address, port }, e.g. { address: \"192.168.1.20\", port: 80 }.");
  binds.forEach((bind, index) => {
    const at = `${path}[${index}]`;
    checkPort(p, `${at}.port`, bind.port);
    if (bind.port === undefined) p.error(`${at}.port`, "a bind needs a port, e.g. 80.");
    if (bind.address !== undefined && bind.address !== "*" && !isIpAddress(bind.address)) {
      p.error(`${at}.address`, `${show(bind.address)} is not an IP address to listen on: use an IPv4/IPv6 address, "*" or leave it out (every address).`);
    }
    if (bind.name !== undefined) checkName(p, `${at}.name`, bind.name, "bind");
    if (bind.ssl !== undefined) {
      checkFilePath(p, `${at}.ssl.crt`, bind.ssl.crt, "certificate", '"/etc/haproxy/certs/site.pem"', { required: true });
      if (checkList(p, `${at}.ssl.alpn`, bind.ssl.alpn, false)) {
        list(bind.ssl.alpn).forEach((protocol, i) => checkToken(p, `${at}.ssl.alpn[${i}]`, protocol, /^[A-Za-z0-9._\/-]+$/, "an ALPN protocol", '"h2" or "http/1.1"'));
      }
    }
    for (const flag of ["acceptProxy", "v4v6", "transparent", "deferAccept", "tfo"] as const) checkBoolean(p, `${at}.${flag}`, bind[flag]);
    checkCount(p, `${at}.maxconn`, bind.maxconn, 1, 10_000_000, "maxconn");
  });
  duplicates(binds, (b) => `${b.address === undefined ? "*" : b.address}:${b.port}`, (i, first) => p.error(`${path}[${i}]`, `binds ${binds[i].address ?? "*"}:${binds[i].port} twice (also at [${first}]): remove one.`));
}

function checkRouting(ctx: Context, path: string, section: FrontendSection | ListenSection, acls: ReadonlySet<string>, mode: "http" | "tcp"): void {
  const { p } = ctx;
  const checkTarget = (at: string, backend: unknown): void => {
    if (typeof backend !== "string" || !ctx.backendNames.includes(backend)) {
      p.error(at, `backend '${String(backend)}' does not exist.${suggest(String(backend), ctx.backendNames)} Fix the name or declare the backend.`);
    } else if (mode === "http" && ctx.backendModes.get(backend) === "tcp") {
      p.error(at, `backend '${backend}' is in mode tcp and this section is in mode http: HAProxy refuses the pair. Put the backend in mode http (or this section in mode tcp).`);
    }
  };
  if (checkList(p, `${path}.useBackends`, section.useBackends, false)) {
    list(section.useBackends).forEach((rule, index) => {
      const at = `${path}.useBackends[${index}]`;
      checkTarget(`${at}.backend`, rule.backend);
      checkCondition(p, `${at}.condition`, rule.condition, acls);
    });
  }
  if (section.defaultBackend !== undefined) checkTarget(`${path}.defaultBackend`, section.defaultBackend);
  const clientMode = section.connectionMode ?? ctx.defaults?.connectionMode;
  const closing = [...list(section.useBackends).map((r) => r.backend), ...(section.defaultBackend !== undefined ? [section.defaultBackend] : [])]
    .filter((name, index, all) => all.indexOf(name) === index && ctx.backendConnectionModes.get(name) === "httpclose");
  if (mode === "http" && clientMode !== "httpclose" && closing.length > 0) {
    p.warn(`${path}.connectionMode`, `routes to ${closing.map((b) => `'${b}'`).join(", ")} with httpclose, but HAProxy 2.x closes the client's connection only when the frontend says so: set connectionMode "httpclose" here too (the seed's exercise expects "Connection: close").`);
  }
  else if (!("servers" in section) && list(section.useBackends).length === 0) {
    p.warn(`${path}.defaultBackend`, "this frontend routes nowhere (no default_backend, no use_backend): every request gets a 503. Set defaultBackend.");
  }
}

function checkClientSide(ctx: Context, path: string, section: FrontendSection | ListenSection, acls: ReadonlySet<string>, mode: "http" | "tcp"): void {
  const { p } = ctx;
  if (checkList(p, `${path}.binds`, section.binds, true)) checkBinds(p, `${path}.binds`, section.binds);
  checkRouting(ctx, path, section, acls, mode);
  if (mode === "tcp") {
    if (list(section.httpRequest).length > 0) p.error(`${path}.httpRequest`, "http-request rules need mode http, but this section is in mode tcp: set mode http (here or in defaults) or drop the rules.");
    if (list(section.httpResponse).length > 0) p.error(`${path}.httpResponse`, "http-response rules need mode http, but this section is in mode tcp: set mode http (here or in defaults) or drop the rules.");
  }
  const timeouts = { ...ctx.defaults?.timeout, ...section.timeout };
  if (timeouts.client === undefined) p.warn(`${path}.timeout.client`, "no timeout client (here or in defaults): idle clients are never dropped and HAProxy warns at startup. Set e.g. \"50s\".");
}

function checkServers(ctx: Context, path: string, section: BackendSection | ListenSection): void {
  const { p } = ctx;
  if (!checkList(p, `${path}.servers`, section.servers, true)) return;
  if (section.servers.length === 0) p.warn(`${path}.servers`, "no server: every request routed here gets a 503. Add servers.");
  section.servers.forEach((server: Server, index) => {
    const at = `${path}.servers[${index}]`;
    checkName(p, `${at}.name`, server.name, "server");
    if (typeof server.address !== "string" || !(isIpAddress(server.address) || isHostName(server.address))) {
      p.error(`${at}.address`, `${show(server.address)} is not an IP address or host name: write the address alone and the port in 'port' (e.g. "192.168.1.21" and 80).`);
    }
    checkPort(p, `${at}.port`, server.port);
    checkServerOptions(p, at, server);
    checkBoolean(p, `${at}.backup`, server.backup);
    checkBoolean(p, `${at}.disabled`, server.disabled);
    if (server.cookie !== undefined && (typeof server.cookie !== "string" || !NAME.test(server.cookie))) {
      p.error(`${at}.cookie`, `${show(server.cookie)} is not a usable cookie value: use letters, digits, '-', '_', '.' or ':' (the seed uses A and B).`);
    }
  });
  duplicates(section.servers, (s) => s.name, (i, first) =>
    p.error(`${path}.servers[${i}].name`, `server '${section.servers[i].name}' is declared twice in this backend (also at [${first}]): rename one.`),
  );
  const cookie = section.cookie ?? ctx.defaults?.cookie;
  if (cookie) {
    section.servers.forEach((server, index) => {
      if (server.cookie === undefined) {
        p.warn(`${path}.servers[${index}].cookie`, `cookie persistence is on (${cookie.name} ${cookie.mode}) but server '${server.name}' has no cookie value, so its clients will not stick: set cookie (e.g. "${String.fromCharCode(65 + (index % 26))}").`);
      }
    });
    const byCookie = new Map<string, number>();
    section.servers.forEach((server, index) => {
      if (server.cookie === undefined) return;
      const first = byCookie.get(server.cookie);
      if (first !== undefined) p.error(`${path}.servers[${index}].cookie`, `cookie value '${server.cookie}' is also used by servers[${first}]: clients would stick to the wrong server. Give each server its own value.`);
      else byCookie.set(server.cookie, index);
    });
  } else {
    section.servers.forEach((server, index) => {
      if (server.cookie !== undefined) p.warn(`${path}.servers[${index}].cookie`, `server '${server.name}' has a cookie value but the backend has no cookie persistence, so it is never used: set cookie on the backend or drop the value.`);
    });
  }
  const option = { ...ctx.defaults?.option, ...section.option };
  const checked = section.servers.some((s) => s.check ?? section.defaultServer?.check ?? ctx.defaults?.defaultServer?.check);
  if (option.httpchk !== undefined && section.servers.length > 0 && !checked) {
    p.warn(`${path}.option.httpchk`, "option httpchk does nothing unless servers have check: set check on the servers (or in defaultServer).");
  }
  const timeouts = { ...ctx.defaults?.timeout, ...section.timeout };
  if (timeouts.connect === undefined) p.warn(`${path}.timeout.connect`, "no timeout connect (here or in defaults): HAProxy warns at startup and waits forever for dead servers. Set e.g. \"5s\".");
  if (timeouts.server === undefined) p.warn(`${path}.timeout.server`, "no timeout server (here or in defaults): HAProxy warns at startup and never drops a stuck server. Set e.g. \"50s\".");
}

function checkUserlists(p: Problems, userlists: readonly Userlist[]): void {
  userlists.forEach((userlist, index) => {
    const at = `userlists[${index}]`;
    checkName(p, `${at}.name`, userlist.name, "userlist");
    if (!checkList(p, `${at}.groups`, userlist.groups, false) || !checkList(p, `${at}.users`, userlist.users, true)) return;
    const groups = list(userlist.groups);
    groups.forEach((group, g) => checkName(p, `${at}.groups[${g}]`, group, "group"));
    duplicates(groups, (g) => g, (i, first) => p.error(`${at}.groups[${i}]`, `group '${groups[i]}' is declared twice (also at [${first}]): remove one.`));
    if (userlist.users.length === 0) p.warn(`${at}.users`, "a userlist without users lets nobody in: add a user.");
    userlist.users.forEach((user, u) => {
      const uat = `${at}.users[${u}]`;
      checkName(p, `${uat}.name`, user.name, "user");
      const password = user.password;
      if (typeof password !== "object" || password === null) {
        p.error(`${uat}.password`, '"password" must be { hashed: "$6$…" } or { insecure: "…" }.');
      } else if ("hashed" in password) {
        if (typeof password.hashed !== "string" || !CRYPT_HASH.test(password.hashed)) {
          p.error(`${uat}.password.hashed`, "this is not a crypt(3) hash: use a SHA-512 hash such as sha512Crypt(password, salt) or `openssl passwd -6` prints.");
        }
      } else {
        checkText(p, `${uat}.password.insecure`, password.insecure, "the password", true);
        p.warn(`${uat}.password`, "insecure-password keeps the password in clear text in haproxy.cfg: prefer { hashed: sha512Crypt(password, salt) }.");
      }
      if (checkList(p, `${uat}.groups`, user.groups, false)) {
        list(user.groups).forEach((group, g) => {
          if (!groups.includes(group)) p.error(`${uat}.groups[${g}]`, `group '${group}' is not declared in this userlist: add it to groups.${suggest(group, groups)}`);
        });
      }
    });
    duplicates(userlist.users, (user) => user.name, (i, first) => p.error(`${at}.users[${i}].name`, `user '${userlist.users[i].name}' is declared twice (also at [${first}]): remove one.`));
  });
  duplicates(userlists, (u) => u.name, (i, first) => p.error(`userlists[${i}].name`, `userlist '${userlists[i].name}' is declared twice (also at [${first}]): rename one.`));
}

function checkGlobal(p: Problems, config: HaproxyConfig): void {
  const global = config.global;
  if (typeof global !== "object" || global === null) {
    p.error("global", "the global section is missing: give at least {}.");
    return;
  }
  if (checkList(p, "global.log", global.log, false)) checkLogTargets(p, "global.log", list(global.log));
  checkCount(p, "global.maxconn", global.maxconn, 1, 10_000_000, "maxconn");
  checkCount(p, "global.nbthread", global.nbthread, 1, 4096, "thread count");
  checkDuration(p, "global.hardStopAfter", global.hardStopAfter, "hard-stop-after duration");
  checkFilePath(p, "global.chroot", global.chroot, "chroot directory", '"/var/lib/haproxy"', { absolute: true });
  checkFilePath(p, "global.pidfile", global.pidfile, "pid file", '"/run/haproxy.pid"', { absolute: true });
  checkFilePath(p, "global.caBase", global.caBase, "CA directory", '"/etc/ssl/certs"');
  checkFilePath(p, "global.crtBase", global.crtBase, "certificate directory", '"/etc/ssl/private"');
  for (const key of ["user", "group"] as const) checkToken(p, `global.${key}`, global[key], SYSTEM_NAME, `a system ${key} name`, '"haproxy"');
  checkBoolean(p, "global.daemon", global.daemon);
  checkBoolean(p, "global.masterWorker", global.masterWorker);
  if (checkList(p, "global.statsSockets", global.statsSockets, false)) {
    list(global.statsSockets).forEach((socket, index) => {
      const at = `global.statsSockets[${index}]`;
      checkFilePath(p, `${at}.path`, socket.path, "socket", '"/run/haproxy/admin.sock"', { required: true });
      checkToken(p, `${at}.mode`, socket.mode, /^[0-7]{3,4}$/, "an octal mode", '"660"');
      checkEnum(p, `${at}.level`, socket.level, ["user", "operator", "admin"]);
      checkBoolean(p, `${at}.exposeFdListeners`, socket.exposeFdListeners);
    });
    duplicates(list(global.statsSockets), (s) => s.path, (i, first) => p.error(`global.statsSockets[${i}].path`, `socket ${list(global.statsSockets)[i].path} is declared twice (also at [${first}]): remove one.`));
  }
  for (const key of ["sslDefaultBindCiphers", "sslDefaultBindCiphersuites", "sslDefaultServerCiphers", "sslDefaultServerCiphersuites"] as const) {
    checkToken(p, `global.${key}`, global[key], CIPHER_LIST, "an OpenSSL cipher list", '"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"');
  }
  for (const key of ["sslDefaultBindOptions", "sslDefaultServerOptions"] as const) {
    if (!checkList(p, `global.${key}`, global[key], false)) continue;
    list(global[key]).forEach((option, index) => {
      if (typeof option !== "string" || !SSL_OPTION.test(option)) {
        p.error(`global.${key}[${index}]`, `${show(option)} is not an SSL option: use no-sslv3, no-tlsv10 … no-tlsv13, no-tls-tickets, prefer-client-ciphers, force-tlsv12, or "ssl-min-ver TLSv1.2".`);
      }
    });
    if (list(global[key]).length > 20) p.error(`global.${key}`, "more than 20 options do not fit on one line: keep at most 20.");
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** Every problem of the model, errors and warnings, in model order. */
export function validateHaproxyConfig(config: HaproxyConfig): ConfigProblem[] {
  const p = new Problems();
  if (typeof config !== "object" || config === null) {
    p.error("", "the configuration is not an object: give { global, defaults, frontends, backends }.");
    return p.list;
  }

  walkStrings(config, "", (path, value) => {
    if (value === "") {
      p.markBadString(path, "is empty: HAProxy drops an empty last word, which shifts every argument after it. Give it a value or leave the field out.");
    } else if (CONTROL_CHARACTER.test(value)) {
      p.markBadString(path, `${JSON.stringify(value)} contains a newline or another control character, which would end the directive and let the rest become configuration: remove it.`);
    } else if (value.length > MAX_STRING_LENGTH) {
      p.markBadString(path, `is ${value.length} characters long; the limit is ${MAX_STRING_LENGTH}: shorten it.`);
    }
  });

  const sections = { defaults: config.defaults, frontends: config.frontends, backends: config.backends } as const;
  for (const [key, value] of Object.entries(sections)) checkList(p, key, value, true);
  checkList(p, "listens", config.listens, false);
  checkList(p, "userlists", config.userlists, false);
  const defaultsList = list(config.defaults);
  const frontends = list(config.frontends);
  const backends = list(config.backends);
  const listens = list(config.listens);
  const userlists = list(config.userlists);

  const defaults = defaultsList.length > 0 ? defaultsList[defaultsList.length - 1] : undefined;
  const modeOf = (section: { mode?: "http" | "tcp" }): "http" | "tcp" => section.mode ?? defaults?.mode ?? "tcp";
  const ctx: Context = {
    p,
    backendNames: [...backends.map((b) => b.name), ...listens.map((l) => l.name)],
    backendModes: new Map([...backends, ...listens].map((b) => [b.name, modeOf(b)] as const)),
    backendConnectionModes: new Map([...backends, ...listens].map((b) => [b.name, b.connectionMode ?? defaults?.connectionMode] as const)),
    userlists: new Set(userlists.map((u) => u.name)),
    defaults,
  };

  checkGlobal(p, config);
  checkUserlists(p, userlists);

  defaultsList.forEach((section, index) => {
    const at = `defaults[${index}]`;
    if (section.name !== undefined) checkName(p, `${at}.name`, section.name, "defaults");
    checkCommon(ctx, at, section, new Set(), "defaults");
    if (index < defaultsList.length - 1) {
      p.warn(`defaults[${index}]`, `proxies inherit only from the last defaults section before them, and every defaults section is written before the proxies, so this one applies to nothing (defaults[${defaultsList.length - 1}] wins): merge them into one.`);
    }
  });
  duplicates(defaultsList.filter((d) => d.name !== undefined), (d) => d.name ?? "", (i) => {
    const named = defaultsList.filter((d) => d.name !== undefined)[i];
    p.error(`defaults[${defaultsList.indexOf(named)}].name`, `defaults '${named.name}' is declared twice: rename one.`);
  });

  const proxy = (kind: "frontend" | "backend" | "listen", at: string, section: FrontendSection | BackendSection | ListenSection): ReadonlySet<string> => {
    checkName(p, `${at}.name`, section.name, kind);
    const mode = modeOf(section);
    const acls = list(section.acls);
    if (checkList(p, `${at}.acls`, section.acls, false)) checkAcls(p, `${at}.acls`, acls, ctx, mode);
    const aclNames = new Set(acls.map((a) => a.name));
    const requestContext: SampleContext = kind === "frontend" ? "frontend-request" : "backend-request";
    if (checkList(p, `${at}.httpRequest`, section.httpRequest, false)) checkHttpRules(p, `${at}.httpRequest`, list(section.httpRequest), acls, requestContext);
    if (checkList(p, `${at}.httpResponse`, section.httpResponse, false)) checkHttpRules(p, `${at}.httpResponse`, list(section.httpResponse), acls, "response");
    checkCommon(ctx, at, section, aclNames, kind);
    return aclNames;
  };

  frontends.forEach((section, index) => {
    const at = `frontends[${index}]`;
    const acls = proxy("frontend", at, section);
    checkClientSide(ctx, at, section, acls, modeOf(section));
  });
  backends.forEach((section, index) => {
    const at = `backends[${index}]`;
    proxy("backend", at, section);
    if (modeOf(section) === "tcp") {
      if (list(section.httpRequest).length > 0) p.error(`${at}.httpRequest`, "http-request rules need mode http, but this backend is in mode tcp: set mode http or drop the rules.");
      if (list(section.httpResponse).length > 0) p.error(`${at}.httpResponse`, "http-response rules need mode http, but this backend is in mode tcp: set mode http or drop the rules.");
    }
    checkServers(ctx, at, section);
  });
  listens.forEach((section, index) => {
    const at = `listens[${index}]`;
    const acls = proxy("listen", at, section);
    checkClientSide(ctx, at, section, acls, modeOf(section));
    checkServers(ctx, at, section);
  });

  // Frontends and backends may share a name (HAProxy's own examples do); a listen is both.
  type Named = readonly [name: string, path: string];
  const clientSide: Named[] = [...frontends.map((f, i): Named => [f.name, `frontends[${i}]`]), ...listens.map((l, i): Named => [l.name, `listens[${i}]`])];
  const serverSide: Named[] = [...backends.map((b, i): Named => [b.name, `backends[${i}]`]), ...listens.map((l, i): Named => [l.name, `listens[${i}]`])];
  for (const group of [clientSide, serverSide]) {
    duplicates(group, ([name]) => name, (i, first) => {
      if (group[i][1] !== group[first][1]) p.error(`${group[i][1]}.name`, `'${group[i][0]}' is already the name of ${group[first][1]}: section names must be unique.`);
    });
  }

  return p.list;
}
