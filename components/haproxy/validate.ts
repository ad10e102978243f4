/**
 * validateHaproxyConfig: every problem of a model at once, each with the path of the culprit
 * (`frontends[0].useBackends[1].backend`) and a message that says what is wrong and how to fix it.
 *
 * Two layers. First, a walk over every string in the model rejects control characters (a newline
 * in any value would add a directive). Then field rules: names HAProxy accepts, references that
 * resolve (with a "did you mean"), numbers in range, addresses, durations, and the pitfalls of
 * the seed and FIELD-NOTES (cookie servers without values, redispatch without retries …).
 */
import type {
  Acl,
  BackendSection,
  Bind,
  Condition,
  ConfigProblem,
  DefaultsSection,
  FrontendSection,
  HaproxyConfig,
  HttpRequestRule,
  HttpResponseRule,
  ListenSection,
  ProxyCommon,
  Server,
  ServerOptions,
  ServerSide,
  Stats,
  Userlist,
} from "./model";
import { isIP } from "node:net";
import { CONTROL_CHARACTER } from "./quote";

/** HAProxy's rule for proxy, server, ACL and userlist names (cfgparse's invalid_char). */
export const NAME = /^[A-Za-z0-9_.:-]+$/;
/** Arguments written inside a fetch's parentheses (`hdr(host)`): no quoting possible there. */
const FETCH_ARGUMENT = /^[A-Za-z0-9_.-]+$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const DURATION = /^([0-9]+)(us|ms|s|m|h|d)$/;
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const CRYPT_HASH = /^\$(1|5|6|2[aby]|y|7)\$[./A-Za-z0-9$=,]+$/;

type Report = (path: string, message: string, severity?: "error" | "warning") => void;

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

export function suggest(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return ` Did you mean '${best}'?`;
  return candidates.length > 0 ? ` Known: ${candidates.map((c) => `'${c}'`).join(", ")}.` : "";
}

export function isIpAddress(value: string): boolean {
  return IPV4.test(value) || isIP(value) === 6;
}

const FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"] as const;
const LEVELS = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;
const BALANCES = ["roundrobin", "static-rr", "leastconn", "first", "source", "uri", "url_param", "hdr", "random", "rdp-cookie"] as const;
const FETCHES = ["path", "path_beg", "path_end", "path_sub", "path_reg", "path_dir", "url", "url_beg", "url_end", "url_sub", "url_reg", "src", "dst", "dst_port", "method", "ssl_fc", "req.ver", "hdr", "hdr_beg", "hdr_end", "hdr_sub", "hdr_dom", "hdr_reg", "hdr_cnt", "url_param", "http_auth", "http_auth_group", "nbsrv"] as const;
const MATCHES = ["str", "beg", "end", "sub", "reg", "dom", "dir", "len", "ip", "found", "int", "bool"] as const;
const RETRY_ON = ["none", "conn-failure", "empty-response", "junk-response", "response-timeout", "0rtt-rejected", "all-retryable-errors", "404", "408", "425", "500", "501", "502", "503", "504"] as const;
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"] as const;

/** Values typed as unions still arrive from JSON and stack config: check them at run time too. */
function checkEnum(report: Report, path: string, value: unknown, allowed: readonly (string | number)[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    report(path, `${JSON.stringify(value)} is not valid here: use one of ${allowed.join(", ")}.`);
  }
}

function checkLogTarget(report: Report, path: string, target: { facility: string; level?: string; minLevel?: string }): void {
  checkEnum(report, `${path}.facility`, target.facility, FACILITIES);
  checkEnum(report, `${path}.level`, target.level, LEVELS);
  checkEnum(report, `${path}.minLevel`, target.minLevel, LEVELS);
}

function isServerAddress(value: string): boolean {
  return isIpAddress(value) || HOSTNAME.test(value);
}

export function durationMilliseconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const factors: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * factors[match[2]];
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** Every string anywhere in the model, with its path. */
function walkStrings(value: unknown, path: string, visit: (path: string, value: string) => void): void {
  if (typeof value === "string") visit(path, value);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, `${path}[${index}]`, visit));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) walkStrings(item, path ? `${path}.${key}` : key, visit);
  }
}

function checkName(report: Report, path: string, name: string, what: string): void {
  if (typeof name !== "string" || !NAME.test(name)) {
    report(path, `${JSON.stringify(name)} is not a valid ${what} name: HAProxy accepts only letters, digits, '-', '_', '.' and ':' (e.g. "servidores").`);
  }
}

function checkDuration(report: Report, path: string, value: string | undefined): void {
  if (value === undefined) return;
  const ms = typeof value === "string" ? durationMilliseconds(value) : undefined;
  if (ms === undefined) report(path, `${JSON.stringify(value)} is not a duration: write a whole number and a unit (us, ms, s, m, h, d), e.g. "5s"; HAProxy 1.4's bare milliseconds like 5000 are ambiguous.`);
  else if (ms <= 0) report(path, `${value} must be greater than zero.`);
  else if (ms > 2_147_483_647) report(path, `${value} is longer than HAProxy's limit (~24.8 days): use a shorter time.`);
}

function checkPort(report: Report, path: string, port: number | undefined): void {
  if (port !== undefined && !isInteger(port, 1, 65535)) report(path, `${JSON.stringify(port)} is not a TCP port: use an integer from 1 to 65535.`);
}

function checkCount(report: Report, path: string, value: number | undefined, min: number, max: number, what: string): void {
  if (value !== undefined && !isInteger(value, min, max)) report(path, `${JSON.stringify(value)} is not a valid ${what}: use an integer from ${min} to ${max}.`);
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

function checkServerOptions(report: Report, path: string, options: ServerOptions): void {
  checkEnum(report, `${path}.sendProxy`, options.sendProxy, ["v1", "v2"]);
  checkEnum(report, `${path}.ssl.verify`, options.ssl?.verify, ["none", "required"]);
  if (options.weight !== undefined && !isInteger(options.weight, 0, 256)) {
    report(`${path}.weight`, `${JSON.stringify(options.weight)} is out of range: HAProxy weights are integers from 0 to 256 (0 drains the server).`);
  }
  checkDuration(report, `${path}.inter`, options.inter);
  checkDuration(report, `${path}.fastinter`, options.fastinter);
  checkDuration(report, `${path}.downinter`, options.downinter);
  checkCount(report, `${path}.rise`, options.rise, 1, 1000, "rise count");
  checkCount(report, `${path}.fall`, options.fall, 1, 1000, "fall count");
  checkCount(report, `${path}.maxconn`, options.maxconn, 1, 1_000_000, "maxconn");
  if (options.source !== undefined && !isIpAddress(options.source)) {
    report(`${path}.source`, `${JSON.stringify(options.source)} is not an IP address: 'source' takes the local address to connect from, e.g. the frontend's "192.168.1.20".`);
  }
  if (options.ssl?.sni !== undefined && !HOSTNAME.test(options.ssl.sni)) report(`${path}.ssl.sni`, `${JSON.stringify(options.ssl.sni)} is not a host name.`);
  if ((options.inter || options.fastinter || options.downinter || options.rise || options.fall) && options.check === false) {
    report(`${path}.check`, "check intervals are set but 'check' is false, so they do nothing: set check to true or drop them.", "warning");
  }
}

function checkCondition(report: Report, path: string, condition: Condition, acls: ReadonlySet<string>): void {
  if (condition.op !== "if" && condition.op !== "unless") report(`${path}.op`, `${JSON.stringify(condition.op)} is not a condition: use "if" or "unless".`);
  if (!Array.isArray(condition.terms) || condition.terms.length === 0) {
    report(`${path}.terms`, "a condition needs at least one ACL term, e.g. [{ acl: \"url_static\" }].");
    return;
  }
  condition.terms.forEach((term, index) => {
    checkEnum(report, `${path}.terms[${index}].join`, term.join, ["and", "or"]);
    if (index === 0 && term.join === "or") report(`${path}.terms[0].join`, "the first term cannot start with 'or': remove join from it.");
    if (!acls.has(term.acl)) {
      report(`${path}.terms[${index}].acl`, `ACL '${term.acl}' is not declared in this section: declare it with an acl line or fix the name.${suggest(term.acl, [...acls])}`);
    }
  });
}

function checkAcls(report: Report, path: string, acls: readonly Acl[], proxyNames: ReadonlySet<string>, userlists: ReadonlySet<string>): void {
  acls.forEach((acl, index) => {
    const at = `${path}[${index}]`;
    checkName(report, `${at}.name`, acl.name, "ACL");
    const criterion = acl.criterion;
    checkEnum(report, `${at}.criterion.fetch`, criterion.fetch, FETCHES);
    checkEnum(report, `${at}.match`, acl.match, MATCHES);
    const argument =
      "header" in criterion ? ["header", criterion.header] as const
        : "param" in criterion ? ["param", criterion.param] as const
          : "userlist" in criterion ? ["userlist", criterion.userlist] as const
            : "backend" in criterion ? ["backend", criterion.backend] as const
              : undefined;
    if (argument && (typeof argument[1] !== "string" || !FETCH_ARGUMENT.test(argument[1]))) {
      report(`${at}.criterion.${argument[0]}`, `${JSON.stringify(argument[1])} cannot be written inside ${criterion.fetch}(…): use letters, digits, '-', '_' and '.' only (e.g. "host").`);
    }
    if ("userlist" in criterion && !userlists.has(criterion.userlist)) {
      report(`${at}.criterion.userlist`, `userlist '${criterion.userlist}' is not declared.${suggest(criterion.userlist, [...userlists])}`);
    }
    if ("backend" in criterion && !proxyNames.has(criterion.backend)) {
      report(`${at}.criterion.backend`, `backend '${criterion.backend}' is not declared.${suggest(criterion.backend, [...proxyNames])}`);
    }
    const needsValues = !["ssl_fc"].includes(criterion.fetch) && acl.match !== "found" && criterion.fetch !== "http_auth";
    if (needsValues && acl.values.length === 0) report(`${at}.values`, `ACL '${acl.name}' has no pattern to match: add values (e.g. [".gif", ".png"]) or use match "found".`);
    duplicates(acl.values, (v) => v, (i, first) => report(`${at}.values[${i}]`, `'${acl.values[i]}' repeats values[${first}] (the seed lists .png twice): remove it.`, "warning"));
  });
  duplicates(acls, (a) => a.name, (i, first) =>
    report(`${path}[${i}].name`, `ACL '${acls[i].name}' is declared twice (also at [${first}]); HAProxy would OR the two silently: merge the values into one ACL or rename one.`),
  );
}

/**
 * Header values and log-format strings are HAProxy log-format: `%` must start `%%` (a literal
 * percent) or a sample expression `%[fetch,converter(arg)]`; log-format lines may also use log
 * variables (`%ci`, `%{+Q}r`).
 */
const SAMPLE_EXPRESSION = /^%\[[A-Za-z0-9_.,()\- ]+\]/;
const LOG_VARIABLE = /^%(\{[+-][A-Za-z]+(,[+-][A-Za-z]+)*\})?[A-Za-z]{1,6}/;
export function checkLogFormat(report: Report, path: string, value: string, allowLogVariables: boolean): void {
  for (let i = value.indexOf("%"); i !== -1; i = value.indexOf("%", i)) {
    const rest = value.slice(i);
    const match = rest.startsWith("%%") ? ["%%"] : SAMPLE_EXPRESSION.exec(rest) ?? (allowLogVariables ? LOG_VARIABLE.exec(rest) : null);
    if (!match) {
      report(path, `${JSON.stringify(value)} uses '%' at position ${i} outside a sample expression: HAProxy reads this value as a log-format string. Write '%%' for a literal percent, or %[fetch] (e.g. %[src]).`);
      return;
    }
    i += match[0].length;
  }
}

function checkHttpRules(report: Report, path: string, rules: readonly (HttpRequestRule | HttpResponseRule)[], acls: ReadonlySet<string>): void {
  rules.forEach((rule, index) => {
    const at = `${path}[${index}]`;
    if ("value" in rule && typeof rule.value === "string") checkLogFormat(report, `${at}.value`, rule.value, false);
    if ("name" in rule && (typeof rule.name !== "string" || !HEADER_NAME.test(rule.name))) {
      report(`${at}.name`, `${JSON.stringify(rule.name)} is not an HTTP header name: use a token such as "X-Forwarded-Proto".`);
    }
    checkEnum(report, `${at}.action`, rule.action, ["set-header", "add-header", "del-header", "deny", "redirect", "return", "auth"]);
    switch (rule.action) {
      case "deny":
        checkCount(report, `${at}.denyStatus`, rule.denyStatus, 200, 599, "HTTP status");
        break;
      case "return":
        checkCount(report, `${at}.status`, rule.status, 200, 599, "HTTP status");
        break;
      case "redirect":
        checkEnum(report, `${at}.type`, rule.type, ["location", "prefix", "scheme"]);
        checkEnum(report, `${at}.code`, rule.code, [301, 302, 303, 307, 308]);
        break;
      default:
        break;
    }
    if (rule.condition) checkCondition(report, `${at}.condition`, rule.condition, acls);
  });
}

function checkStats(report: Report, path: string, stats: Stats, acls: ReadonlySet<string>, userlists: ReadonlySet<string>): void {
  if (stats.uri !== undefined && !/^\/[^\s]*$/.test(stats.uri)) report(`${path}.uri`, `${JSON.stringify(stats.uri)} is not a URL path: start it with '/', e.g. "/stats".`);
  checkDuration(report, `${path}.refresh`, stats.refresh);
  if (stats.admin) checkCondition(report, `${path}.admin`, stats.admin, acls);
  const auth = stats.auth;
  if (!auth) {
    report(`${path}.auth`, "the stats page has no authentication: anyone who reaches it can read it (and drain servers when admin is on). Add auth (a userlist with a hashed password).", "warning");
    return;
  }
  checkEnum(report, `${path}.auth.kind`, auth.kind, ["inline", "userlist"]);
  if (auth.kind === "inline") {
    if (auth.credentials.length === 0) report(`${path}.auth.credentials`, "stats auth needs at least one user and password: add { user, password } or switch to a userlist.");
    auth.credentials.forEach((credentials, index) => {
      const at = `${path}.auth.credentials[${index}]`;
      if (!credentials.user || credentials.user.includes(":") || /\s/.test(credentials.user)) {
        report(`${at}.user`, `${JSON.stringify(credentials.user)} cannot be a stats user: it must be non-empty without ':' or blanks.`);
      }
      if (!credentials.password) report(`${at}.password`, "the password is empty: set one (or use a userlist with a hashed password).");
    });
    report(`${path}.auth`, "inline stats auth keeps the password in clear text in haproxy.cfg (and in EC2 user-data): prefer a userlist with a SHA-512 hash.", "warning");
  } else if (!userlists.has(auth.userlist)) {
    report(`${path}.auth.userlist`, `userlist '${auth.userlist}' is not declared: add it under userlists or fix the name.${suggest(auth.userlist, [...userlists])}`);
  } else if (!FETCH_ARGUMENT.test(auth.userlist)) {
    report(`${path}.auth.userlist`, `'${auth.userlist}' cannot be written inside http_auth(…): use letters, digits, '-', '_' and '.'.`);
  }
}

interface SectionContext {
  readonly report: Report;
  readonly backendNames: readonly string[];
  readonly proxyNames: ReadonlySet<string>;
  readonly userlists: ReadonlySet<string>;
  readonly defaults?: DefaultsSection;
}

function checkCommon(ctx: SectionContext, path: string, section: ProxyCommon & Partial<ServerSide>, acls: ReadonlySet<string>): void {
  const { report } = ctx;
  for (const [name, value] of Object.entries(section.timeout ?? {})) checkDuration(report, `${path}.timeout.${name}`, value);
  checkEnum(report, `${path}.mode`, section.mode, ["http", "tcp"]);
  if (typeof section.logFormat === "string") checkLogFormat(report, `${path}.logFormat`, section.logFormat, true);
  checkEnum(report, `${path}.connectionMode`, section.connectionMode, ["httpclose", "http-server-close", "http-keep-alive"]);
  checkEnum(report, `${path}.httpReuse`, section.httpReuse, ["never", "safe", "aggressive", "always"]);
  (section.retryOn ?? []).forEach((event, index) => checkEnum(report, `${path}.retryOn[${index}]`, event, RETRY_ON));
  checkEnum(report, `${path}.balance.algorithm`, section.balance?.algorithm, BALANCES);
  checkEnum(report, `${path}.cookie.mode`, section.cookie?.mode, ["insert", "rewrite", "prefix"]);
  checkEnum(report, `${path}.option.httpchk.method`, section.option?.httpchk?.method, METHODS);
  checkEnum(report, `${path}.option.httpchk.version`, section.option?.httpchk?.version, ["HTTP/1.0", "HTTP/1.1"]);
  checkEnum(report, `${path}.httpCheckExpect.match`, section.httpCheckExpect?.match, ["status", "rstatus", "string", "rstring"]);
  if (section.log !== undefined && section.log !== "global") {
    if (!Array.isArray(section.log)) report(`${path}.log`, `${JSON.stringify(section.log)} is not valid: use "global" or a list of log targets.`);
    else section.log.forEach((target, index) => checkLogTarget(report, `${path}.log[${index}]`, target));
  }
  checkCount(report, `${path}.maxconn`, section.maxconn, 1, 1_000_000, "maxconn");
  checkCount(report, `${path}.retries`, section.retries, 0, 100, "retries count");
  if (section.option?.tcplog && section.option.httplog) report(`${path}.option`, "httplog and tcplog are both set: keep one (httplog for mode http).");
  if (section.option?.redispatch) {
    const retries = section.retries ?? ctx.defaults?.retries ?? 3;
    if (retries === 0) report(`${path}.option.redispatch`, "redispatch only acts on a retry, and retries is 0: set retries to 1 or more.", "warning");
  }
  if (section.option?.httpchk?.uri !== undefined && !/^\/[^\s]*$/.test(section.option.httpchk.uri)) {
    report(`${path}.option.httpchk.uri`, `${JSON.stringify(section.option.httpchk.uri)} is not a URL path: start it with '/', e.g. "/index.html".`);
  }
  if (section.option?.httpchk?.host !== undefined && !HOSTNAME.test(section.option.httpchk.host) && !isIpAddress(section.option.httpchk.host)) {
    report(`${path}.option.httpchk.host`, `${JSON.stringify(section.option.httpchk.host)} is not a host name.`);
  }
  if (section.option?.forwardfor && section.option.forwardfor !== true && section.option.forwardfor.header !== undefined && !HEADER_NAME.test(section.option.forwardfor.header)) {
    report(`${path}.option.forwardfor.header`, `${JSON.stringify(section.option.forwardfor.header)} is not an HTTP header name.`);
  }
  if (section.mode === "tcp" && (section.option?.httplog || section.option?.forwardfor || section.connectionMode || section.cookie)) {
    report(`${path}.mode`, "mode tcp cannot use httplog, forwardfor, HTTP connection modes or cookies: switch to mode http or drop those options.");
  }
  const balance = section.balance;
  if (balance?.algorithm === "hdr" && !FETCH_ARGUMENT.test(balance.header)) report(`${path}.balance.header`, `${JSON.stringify(balance.header)} is not a header name usable in hdr(…).`);
  if (balance?.algorithm === "url_param" && !FETCH_ARGUMENT.test(balance.param)) report(`${path}.balance.param`, `${JSON.stringify(balance.param)} is not a URL parameter name.`);
  if (balance?.algorithm === "rdp-cookie" && balance.name !== undefined && !FETCH_ARGUMENT.test(balance.name)) report(`${path}.balance.name`, `${JSON.stringify(balance.name)} is not a cookie name.`);
  if (balance?.algorithm === "random") checkCount(report, `${path}.balance.draws`, balance.draws, 1, 100, "number of draws");
  if (section.cookie) {
    checkName(report, `${path}.cookie.name`, section.cookie.name, "cookie");
    if (section.cookie.mode === "prefix" && section.cookie.indirect) {
      report(`${path}.cookie.indirect`, "the manual advises against 'indirect' with 'prefix' (the server never sees its cookie value change): drop indirect.", "warning");
    }
    if (section.cookie.mode === "insert") {
      checkDuration(report, `${path}.cookie.maxidle`, section.cookie.maxidle);
      checkDuration(report, `${path}.cookie.maxlife`, section.cookie.maxlife);
    }
  }
  if (section.defaultServer) checkServerOptions(report, `${path}.defaultServer`, section.defaultServer);
  (section.errorfiles ?? []).forEach((errorfile, index) => {
    if (!errorfile.file) report(`${path}.errorfiles[${index}].file`, "errorfile needs a file path, e.g. /etc/haproxy/errors/503.http.");
  });
  if (section.stats) checkStats(report, `${path}.stats`, section.stats, acls, ctx.userlists);
  (Array.isArray(section.log) ? section.log : []).forEach((target, index) => {
    if (!target.target) report(`${path}.log[${index}].target`, "a log target is empty: use /dev/log or host:port.");
  });
}

function checkBinds(report: Report, path: string, binds: readonly Bind[]): void {
  if (binds.length === 0) report(path, "no bind line: HAProxy would accept no client. Add { address, port }.");
  binds.forEach((bind, index) => {
    const at = `${path}[${index}]`;
    checkPort(report, `${at}.port`, bind.port);
    if (bind.address !== undefined && bind.address !== "*" && !isIpAddress(bind.address)) {
      report(`${at}.address`, `${JSON.stringify(bind.address)} is not an IP address to listen on: use an IPv4/IPv6 address, "*" or omit it.`);
    }
    if (bind.name !== undefined) checkName(report, `${at}.name`, bind.name, "bind");
    if (bind.ssl && !bind.ssl.crt) report(`${at}.ssl.crt`, "ssl needs a certificate: set crt to a PEM file path.");
    checkCount(report, `${at}.maxconn`, bind.maxconn, 1, 1_000_000, "maxconn");
  });
  duplicates(binds, (b) => `${b.address ?? "*"}:${b.port}`, (i, first) => report(`${path}[${i}]`, `binds ${binds[i].address ?? "*"}:${binds[i].port} twice (also at [${first}]): remove one.`));
}

function checkClientSide(ctx: SectionContext, path: string, section: FrontendSection | ListenSection, acls: ReadonlySet<string>): void {
  const { report } = ctx;
  checkBinds(report, `${path}.binds`, section.binds);
  (section.useBackends ?? []).forEach((rule, index) => {
    const at = `${path}.useBackends[${index}]`;
    if (!ctx.backendNames.includes(rule.backend)) {
      report(`${at}.backend`, `backend '${rule.backend}' does not exist.${suggest(rule.backend, ctx.backendNames)} Fix the name or declare the backend.`);
    }
    checkCondition(report, `${at}.condition`, rule.condition, acls);
  });
  if (section.defaultBackend !== undefined && !ctx.backendNames.includes(section.defaultBackend)) {
    report(`${path}.defaultBackend`, `backend '${section.defaultBackend}' does not exist.${suggest(section.defaultBackend, ctx.backendNames)} Fix the name or declare the backend.`);
  }
  const mode = section.mode ?? ctx.defaults?.mode ?? "tcp";
  if (mode === "tcp" && ((section.httpRequest?.length ?? 0) > 0 || (section.httpResponse?.length ?? 0) > 0)) {
    report(`${path}.mode`, "http-request/http-response rules need mode http: set mode to http (here or in defaults).");
  }
}

function checkServers(ctx: SectionContext, path: string, section: BackendSection | ListenSection): void {
  const { report } = ctx;
  if (section.servers.length === 0) report(`${path}.servers`, "no server: every request would get a 503. Add servers.", "warning");
  section.servers.forEach((server: Server, index) => {
    const at = `${path}.servers[${index}]`;
    checkName(report, `${at}.name`, server.name, "server");
    if (typeof server.address !== "string" || !isServerAddress(server.address)) {
      report(`${at}.address`, `${JSON.stringify(server.address)} is not an IP address or host name: write the address alone and the port in 'port' (e.g. "192.168.1.21" and 80).`);
    }
    checkPort(report, `${at}.port`, server.port);
    checkServerOptions(report, at, server);
    if (server.cookie !== undefined && !NAME.test(server.cookie)) {
      report(`${at}.cookie`, `${JSON.stringify(server.cookie)} is not a usable cookie value: use letters and digits (the seed uses A and B).`);
    }
  });
  duplicates(section.servers, (s) => s.name, (i, first) =>
    report(`${path}.servers[${i}].name`, `server '${section.servers[i].name}' is declared twice in this backend (also at [${first}]): rename one.`),
  );
  const cookie = section.cookie ?? ctx.defaults?.cookie;
  if (cookie) {
    section.servers.forEach((server, index) => {
      if (server.cookie === undefined) {
        report(`${path}.servers[${index}].cookie`, `cookie persistence is on (${cookie.name} ${cookie.mode}) but server '${server.name}' has no cookie value, so its clients will not stick: set cookie (e.g. "${String.fromCharCode(65 + (index % 26))}").`, "warning");
      }
    });
    const byCookie = new Map<string, number>();
    section.servers.forEach((server, index) => {
      if (server.cookie === undefined) return;
      const first = byCookie.get(server.cookie);
      if (first !== undefined) report(`${path}.servers[${index}].cookie`, `cookie value '${server.cookie}' is also used by servers[${first}]: clients would stick to the wrong server. Give each server its own value.`);
      else byCookie.set(server.cookie, index);
    });
  }
}

function checkUserlists(report: Report, userlists: readonly Userlist[]): void {
  userlists.forEach((userlist, index) => {
    const at = `userlists[${index}]`;
    checkName(report, `${at}.name`, userlist.name, "userlist");
    const groups = new Set(userlist.groups ?? []);
    (userlist.groups ?? []).forEach((group, g) => checkName(report, `${at}.groups[${g}]`, group, "group"));
    if (userlist.users.length === 0) report(`${at}.users`, "a userlist without users lets nobody in: add a user.", "warning");
    userlist.users.forEach((user, u) => {
      const uat = `${at}.users[${u}]`;
      checkName(report, `${uat}.name`, user.name, "user");
      if ("hashed" in user.password) {
        if (!CRYPT_HASH.test(user.password.hashed)) {
          report(`${uat}.password.hashed`, "this is not a crypt(3) hash: use a SHA-512 hash such as the output of `openssl passwd -6` or sha512Crypt().");
        }
      } else {
        if (!user.password.insecure) report(`${uat}.password.insecure`, "the password is empty: set one.");
        report(`${uat}.password`, "insecure-password keeps the password in clear text in haproxy.cfg: prefer a hashed password.", "warning");
      }
      (user.groups ?? []).forEach((group, g) => {
        if (!groups.has(group)) report(`${uat}.groups[${g}]`, `group '${group}' is not declared in this userlist: add it to groups.${suggest(group, [...groups])}`);
      });
    });
    duplicates(userlist.users, (user) => user.name, (i, first) => report(`${at}.users[${i}].name`, `user '${userlist.users[i].name}' is declared twice (also at [${first}]): remove one.`));
  });
  duplicates(userlists, (u) => u.name, (i, first) => report(`userlists[${i}].name`, `userlist '${userlists[i].name}' is declared twice (also at [${first}]): rename one.`));
}

function checkGlobal(report: Report, config: HaproxyConfig): void {
  const global = config.global;
  checkCount(report, "global.maxconn", global.maxconn, 1, 10_000_000, "maxconn");
  checkCount(report, "global.nbthread", global.nbthread, 1, 4096, "thread count");
  (global.statsSockets ?? []).forEach((socket, index) => {
    if (!socket.path) report(`global.statsSockets[${index}].path`, "the stats socket needs a path, e.g. /run/haproxy/admin.sock.");
    if (socket.mode !== undefined && !/^[0-7]{3,4}$/.test(socket.mode)) report(`global.statsSockets[${index}].mode`, `${JSON.stringify(socket.mode)} is not an octal mode: write e.g. "660".`);
  });
  (global.log ?? []).forEach((target, index) => {
    if (!target.target) report(`global.log[${index}].target`, "a log target is empty: use /dev/log or host:port.");
    checkLogTarget(report, `global.log[${index}]`, target);
  });
  (global.statsSockets ?? []).forEach((socket, index) => checkEnum(report, `global.statsSockets[${index}].level`, socket.level, ["user", "operator", "admin"]));
  for (const key of ["user", "group"] as const) {
    const value = global[key];
    if (value !== undefined && !/^[a-z_][a-z0-9_-]*\$?$/.test(value)) report(`global.${key}`, `${JSON.stringify(value)} is not a system ${key} name.`);
  }
}

export function validateHaproxyConfig(config: HaproxyConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report: Report = (path, message, severity = "error") => problems.push({ severity, path, message });

  walkStrings(config, "", (path, value) => {
    if (value === "") {
      report(path, "is empty: HAProxy drops an empty word, which shifts every argument after it. Give it a value or leave the field out.");
    } else if (CONTROL_CHARACTER.test(value)) {
      report(path, `${JSON.stringify(value)} contains a newline or another control character, which would end the directive and let the rest become configuration: remove it.`);
    }
  });

  const listens = config.listens ?? [];
  const userlists = config.userlists ?? [];
  const backendNames = [...config.backends.map((b) => b.name), ...listens.map((l) => l.name)];
  const proxyNames = new Set([...config.frontends.map((f) => f.name), ...backendNames]);
  const userlistNames = new Set(userlists.map((u) => u.name));
  const defaults = config.defaults.find((d) => d.name === undefined) ?? config.defaults[0];
  const ctx: SectionContext = { report, backendNames, proxyNames, userlists: userlistNames, defaults };

  checkGlobal(report, config);
  checkUserlists(report, userlists);

  config.defaults.forEach((section, index) => {
    const at = `defaults[${index}]`;
    if (section.name !== undefined) checkName(report, `${at}.name`, section.name, "defaults");
    checkCommon(ctx, at, section, new Set());
  });
  duplicates(config.defaults, (d) => d.name ?? "", (i, first) =>
    report(`defaults[${i}].name`, config.defaults[i].name === undefined ? `a second anonymous defaults section (first at [${first}]) silently replaces the first for what follows: merge them or name one.` : `defaults '${config.defaults[i].name}' is declared twice (also at [${first}]).`),
  );

  config.frontends.forEach((section, index) => {
    const at = `frontends[${index}]`;
    checkName(report, `${at}.name`, section.name, "frontend");
    const acls = new Set((section.acls ?? []).map((a) => a.name));
    checkAcls(report, `${at}.acls`, section.acls ?? [], proxyNames, userlistNames);
    checkHttpRules(report, `${at}.httpRequest`, section.httpRequest ?? [], acls);
    checkHttpRules(report, `${at}.httpResponse`, section.httpResponse ?? [], acls);
    checkCommon(ctx, at, section, acls);
    checkClientSide(ctx, at, section, acls);
  });

  config.backends.forEach((section, index) => {
    const at = `backends[${index}]`;
    checkName(report, `${at}.name`, section.name, "backend");
    const acls = new Set((section.acls ?? []).map((a) => a.name));
    checkAcls(report, `${at}.acls`, section.acls ?? [], proxyNames, userlistNames);
    checkHttpRules(report, `${at}.httpRequest`, section.httpRequest ?? [], acls);
    checkHttpRules(report, `${at}.httpResponse`, section.httpResponse ?? [], acls);
    checkCommon(ctx, at, section, acls);
    checkServers(ctx, at, section);
  });

  listens.forEach((section, index) => {
    const at = `listens[${index}]`;
    checkName(report, `${at}.name`, section.name, "listen");
    const acls = new Set((section.acls ?? []).map((a) => a.name));
    checkAcls(report, `${at}.acls`, section.acls ?? [], proxyNames, userlistNames);
    checkHttpRules(report, `${at}.httpRequest`, section.httpRequest ?? [], acls);
    checkHttpRules(report, `${at}.httpResponse`, section.httpResponse ?? [], acls);
    checkCommon(ctx, at, section, acls);
    checkClientSide(ctx, at, section, acls);
    checkServers(ctx, at, section);
  });

  // Frontends and backends may share a name (HAProxy's own examples do); listen sections are both.
  type Named = readonly [name: string, path: string];
  const clientSide: Named[] = [...config.frontends.map((f, i): Named => [f.name, `frontends[${i}]`]), ...listens.map((l, i): Named => [l.name, `listens[${i}]`])];
  const serverSide: Named[] = [...config.backends.map((b, i): Named => [b.name, `backends[${i}]`]), ...listens.map((l, i): Named => [l.name, `listens[${i}]`])];
  for (const group of [clientSide, serverSide]) {
    duplicates(group, ([name]) => name, (i, first) => {
      if (group[i][1] !== group[first][1]) report(`${group[i][1]}.name`, `'${group[i][0]}' is already the name of ${group[first][1]}: section names must be unique.`);
    });
  }

  return problems;
}
