/**
 * HaproxyConfig → haproxy.cfg text (HAProxy 2.4+ syntax). Deterministic and canonical: the same
 * model always gives the same bytes; every token goes through `token()` and every free text
 * through `text()` (quote.ts); sections are separated by one blank line, directives indented by
 * four spaces, and the text ends with a newline (recent HAProxy rejects a last line without one).
 *
 * Section order: global, defaults, userlist, frontend, backend, listen (each in model order).
 *
 * Order inside a proxy section (a keyword appears only where the section has it):
 *   mode; log; log-format; maxconn;
 *   option httplog|tcplog, dontlognull, <connection mode>, forwardfor, redispatch, abortonclose,
 *     http-buffer-request, idle-close-on-response;
 *   retries; retry-on; http-reuse;
 *   timeout connect, client, server, http-request, http-keep-alive, queue, check, tunnel,
 *     client-fin, server-fin;
 *   errorfile …;
 *   bind …; acl …;
 *   stats … (after acl, because `stats admin if <acl>` needs the ACL declared above it);
 *   http-request …; http-response …; use_backend …; default_backend;
 *   balance; cookie; option httpchk, http-check send, http-check expect; default-server; server ….
 * Global: log, maxconn, chroot, user, group, daemon, master-worker, nbthread, hard-stop-after, pidfile,
 * stats socket, ca-base, crt-base, ssl-default-bind-*, ssl-default-server-*.
 * Userlist: group lines, then user lines.
 */
import type {
  Acl,
  AclFetch,
  Balance,
  Bind,
  ClientSide,
  Condition,
  ConfigProblem,
  CookiePersistence,
  GlobalSection,
  HaproxyConfig,
  HttpCheckExpect,
  HttpRequestRule,
  HttpResponseRule,
  LogTarget,
  ProxyCommon,
  Server,
  ServerOptions,
  ServerSide,
  Stats,
  TimeoutName,
  Userlist,
} from "./model";
import { cryptHash, text, token } from "./quote";
import { validateHaproxyConfig } from "./validate";

export const TIMEOUT_ORDER: readonly TimeoutName[] = [
  "connect", "client", "server", "http-request", "http-keep-alive", "queue", "check", "tunnel", "client-fin", "server-fin",
];

/** Thrown by `renderHaproxyConfig` when the model has errors; carries every problem found. */
export class HaproxyConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const errors = problems.filter((p) => p.severity === "error");
    const warnings = problems.length - errors.length;
    super(
      `haproxy.cfg has ${errors.length} error${errors.length === 1 ? "" : "s"}${warnings > 0 ? ` (and ${warnings} warning${warnings === 1 ? "" : "s"})` : ""}:\n` +
        errors.map((p) => `  ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "HaproxyConfigError";
    this.problems = [...problems];
  }
}

const INDENT = "    ";
type Word = string | number | false | undefined;

/** One directive: its words joined by single blanks, skipping the absent (false/undefined) ones. */
function directive(...words: Word[]): string {
  return words.filter((w): w is string | number => w !== undefined && w !== false).map(String).join(" ");
}

/** `keyword value` when the value is present, else nothing (for optional keyword/value pairs). */
function pair(keyword: string, value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : `${keyword} ${value}`;
}

/** IPv6 addresses are bracketed so the port (or nothing) cannot be read as part of them. */
function address(value: string): string {
  return value.includes(":") ? `[${token(value)}]` : token(value);
}

export function renderCondition(condition: Condition): string {
  const terms = condition.terms.map((term, index) =>
    directive(index > 0 && term.join === "or" && "||", `${term.negate ? "!" : ""}${token(term.acl)}`),
  );
  return directive(condition.op, ...terms);
}

function withCondition(line: string, condition: Condition | undefined): string {
  return condition ? `${line} ${renderCondition(condition)}` : line;
}

function fetchWord(criterion: AclFetch): string {
  if ("header" in criterion) return `${criterion.fetch}(${token(criterion.header)})`;
  if ("param" in criterion) return `${criterion.fetch}(${token(criterion.param)})`;
  if ("userlist" in criterion) return `${criterion.fetch}(${token(criterion.userlist)})`;
  if ("backend" in criterion) return `${criterion.fetch}(${token(criterion.backend)})`;
  return criterion.fetch;
}

function aclLine(acl: Acl): string {
  // A first pattern starting with '-' would be read as a flag: `--` ends the flags.
  const endOfFlags = acl.values.length > 0 && acl.values[0].startsWith("-") && "--";
  return directive("acl", token(acl.name), fetchWord(acl.criterion), acl.ignoreCase && "-i", pair("-m", acl.match), endOfFlags, ...acl.values.map(text));
}

function httpRequestLine(rule: HttpRequestRule): string {
  switch (rule.action) {
    case "set-header":
    case "add-header":
      return withCondition(directive("http-request", rule.action, token(rule.name), text(rule.value)), rule.condition);
    case "del-header":
      return withCondition(directive("http-request", "del-header", token(rule.name)), rule.condition);
    case "deny":
      return withCondition(directive("http-request", "deny", pair("deny_status", rule.denyStatus)), rule.condition);
    case "redirect":
      return withCondition(directive("http-request", "redirect", rule.type, rule.type === "scheme" ? token(rule.target) : text(rule.target), pair("code", rule.code)), rule.condition);
    case "return":
      return withCondition(
        directive("http-request", "return", pair("status", rule.status), rule.contentType !== undefined && `content-type ${text(rule.contentType)}`, rule.body !== undefined && `string ${text(rule.body)}`),
        rule.condition,
      );
    case "auth":
      return withCondition(directive("http-request", "auth", rule.realm !== undefined && `realm ${text(rule.realm)}`), rule.condition);
  }
}

function httpResponseLine(rule: HttpResponseRule): string {
  switch (rule.action) {
    case "set-header":
    case "add-header":
      return withCondition(directive("http-response", rule.action, token(rule.name), text(rule.value)), rule.condition);
    case "del-header":
      return withCondition(directive("http-response", "del-header", token(rule.name)), rule.condition);
  }
}

function logLine(target: LogTarget): string {
  return directive("log", token(target.target), target.facility, target.level, target.level !== undefined && target.minLevel);
}

function balanceLine(balance: Balance): string {
  switch (balance.algorithm) {
    case "uri":
      return directive("balance", "uri", balance.whole && "whole", pair("len", balance.len), pair("depth", balance.depth));
    case "url_param":
      return directive("balance", "url_param", token(balance.param), pair("check_post", balance.checkPost));
    case "hdr":
      return directive("balance", `hdr(${token(balance.header)})`, balance.useDomainOnly && "use_domain_only");
    case "random":
      return balance.draws !== undefined ? `balance random(${balance.draws})` : "balance random";
    case "rdp-cookie":
      return balance.name !== undefined ? `balance rdp-cookie(${token(balance.name)})` : "balance rdp-cookie";
    default:
      return `balance ${balance.algorithm}`;
  }
}

function cookieLine(cookie: CookiePersistence): string {
  const insert = cookie.mode === "insert" ? cookie : undefined;
  return directive(
    "cookie",
    token(cookie.name),
    cookie.mode,
    cookie.indirect && "indirect",
    insert?.nocache && "nocache",
    insert?.postonly && "postonly",
    cookie.preserve && "preserve",
    insert?.httponly && "httponly",
    insert?.secure && "secure",
    ...(insert?.domain ?? []).map((domain) => `domain ${token(domain)}`),
    pair("maxidle", insert?.maxidle),
    pair("maxlife", insert?.maxlife),
  );
}

/** Options in this order: weight, check, inter, fastinter, downinter, rise, fall, maxconn, source, send-proxy, ssl. */
function serverOptionWords(options: ServerOptions): Word[] {
  const ssl = options.ssl;
  return [
    pair("weight", options.weight),
    options.check && "check",
    pair("inter", options.inter),
    pair("fastinter", options.fastinter),
    pair("downinter", options.downinter),
    pair("rise", options.rise),
    pair("fall", options.fall),
    pair("maxconn", options.maxconn),
    options.source !== undefined && `source ${address(options.source)}`,
    options.sendProxy === "v1" && "send-proxy",
    options.sendProxy === "v2" && "send-proxy-v2",
    ssl && "ssl",
    ssl && `verify ${ssl.verify}`,
    ssl?.verify === "required" && `ca-file ${token(ssl.caFile)}`,
    ssl?.sni !== undefined && `sni str(${token(ssl.sni)})`,
  ];
}

/** `server <name> <address>[:<port>] weight … cookie … check … backup disabled` */
function serverLine(server: Server): string {
  const target = server.port !== undefined ? `${address(server.address)}:${server.port}` : address(server.address);
  const [weight, ...rest] = serverOptionWords(server);
  return directive("server", token(server.name), target, weight, server.cookie !== undefined && `cookie ${token(server.cookie)}`, ...rest, server.backup && "backup", server.disabled && "disabled");
}

function bindLine(bind: Bind): string {
  const where = bind.address === undefined || bind.address === "*" ? `:${bind.port}` : `${address(bind.address)}:${bind.port}`;
  return directive(
    "bind",
    where,
    bind.name !== undefined && `name ${token(bind.name)}`,
    bind.ssl && `ssl crt ${token(bind.ssl.crt)}`,
    bind.ssl?.alpn !== undefined && bind.ssl.alpn.length > 0 && `alpn ${token(bind.ssl.alpn.join(","))}`,
    bind.acceptProxy && "accept-proxy",
    bind.v4v6 && "v4v6",
    bind.transparent && "transparent",
    bind.deferAccept && "defer-accept",
    bind.tfo && "tfo",
    pair("maxconn", bind.maxconn),
  );
}

function statsLines(stats: Stats): string[] {
  const lines = ["stats enable"];
  if (stats.uri !== undefined) lines.push(`stats uri ${token(stats.uri)}`);
  const auth = stats.auth;
  if (auth?.kind === "userlist") {
    // The file then holds only the userlist's hash. `stats realm` cannot be combined with
    // `stats http-request` (HAProxy refuses), so the realm goes into the auth rule.
    lines.push(directive("stats http-request auth", stats.realm !== undefined && `realm ${text(stats.realm)}`, `unless { http_auth(${token(auth.userlist)}) }`));
  } else {
    if (stats.realm !== undefined) lines.push(`stats realm ${text(stats.realm)}`);
    for (const credentials of auth?.credentials ?? []) lines.push(`stats auth ${text(`${credentials.user}:${credentials.password}`)}`);
  }
  if (stats.refresh !== undefined) lines.push(`stats refresh ${token(stats.refresh)}`);
  if (stats.admin) lines.push(`stats admin ${renderCondition(stats.admin)}`);
  if (stats.hideVersion) lines.push("stats hide-version");
  if (stats.showLegends) lines.push("stats show-legends");
  return lines;
}

function httpCheckLines(section: ProxyCommon & Partial<ServerSide>): string[] {
  const lines: string[] = [];
  const check = section.option?.httpchk;
  if (check) {
    lines.push("option httpchk");
    if (check.method !== undefined || check.uri !== undefined || check.version !== undefined || check.host !== undefined) {
      lines.push(
        directive("http-check send", pair("meth", check.method), check.uri !== undefined && `uri ${token(check.uri)}`, pair("ver", check.version), check.host !== undefined && `hdr Host ${token(check.host)}`),
      );
    }
  }
  const expect: HttpCheckExpect | undefined = section.httpCheckExpect;
  if (expect) {
    lines.push(directive("http-check expect", expect.negate && "!", expect.match, expect.match === "status" ? token(expect.value) : text(expect.pattern)));
  }
  return lines;
}

type AnyProxy = ProxyCommon & Partial<ServerSide> & Partial<ClientSide> & {
  readonly acls?: readonly Acl[];
  readonly httpRequest?: readonly HttpRequestRule[];
  readonly httpResponse?: readonly HttpResponseRule[];
  readonly servers?: readonly Server[];
};

/** The body of a defaults, frontend, backend or listen section, in the documented order. */
function proxyLines(section: AnyProxy): string[] {
  const lines: string[] = [];
  const option = section.option ?? {};
  if (section.mode) lines.push(`mode ${section.mode}`);
  if (section.log === "global") lines.push("log global");
  else for (const target of section.log ?? []) lines.push(logLine(target));
  if (section.logFormat !== undefined) lines.push(`log-format ${text(section.logFormat)}`);
  if (section.maxconn !== undefined) lines.push(`maxconn ${section.maxconn}`);
  if (option.httplog) lines.push(option.httplog === "clf" ? "option httplog clf" : "option httplog");
  if (option.tcplog) lines.push("option tcplog");
  if (option.dontlognull) lines.push("option dontlognull");
  if (section.connectionMode) lines.push(`option ${section.connectionMode}`);
  if (option.forwardfor) {
    const ff = option.forwardfor === true ? {} : option.forwardfor;
    lines.push(directive("option forwardfor", ff.except !== undefined && `except ${token(ff.except)}`, ff.header !== undefined && `header ${token(ff.header)}`, ff.ifNone && "if-none"));
  }
  if (option.redispatch) lines.push(option.redispatch === true ? "option redispatch" : `option redispatch ${option.redispatch.interval}`);
  if (option.abortonclose) lines.push("option abortonclose");
  if (option["http-buffer-request"]) lines.push("option http-buffer-request");
  if (option["idle-close-on-response"]) lines.push("option idle-close-on-response");
  if (section.retries !== undefined) lines.push(`retries ${section.retries}`);
  if (section.retryOn && section.retryOn.length > 0) lines.push(`retry-on ${section.retryOn.join(" ")}`);
  if (section.httpReuse) lines.push(`http-reuse ${section.httpReuse}`);
  for (const name of TIMEOUT_ORDER) {
    const value = section.timeout?.[name];
    if (value !== undefined) lines.push(`timeout ${name} ${token(value)}`);
  }
  for (const errorfile of section.errorfiles ?? []) lines.push(`errorfile ${errorfile.status} ${token(errorfile.file)}`);
  for (const bind of section.binds ?? []) lines.push(bindLine(bind));
  for (const acl of section.acls ?? []) lines.push(aclLine(acl));
  if (section.stats) lines.push(...statsLines(section.stats));
  for (const rule of section.httpRequest ?? []) lines.push(httpRequestLine(rule));
  for (const rule of section.httpResponse ?? []) lines.push(httpResponseLine(rule));
  for (const rule of section.useBackends ?? []) lines.push(`use_backend ${token(rule.backend)} ${renderCondition(rule.condition)}`);
  if (section.defaultBackend !== undefined) lines.push(`default_backend ${token(section.defaultBackend)}`);
  if (section.balance) lines.push(balanceLine(section.balance));
  if (section.cookie) lines.push(cookieLine(section.cookie));
  lines.push(...httpCheckLines(section));
  if (section.defaultServer) lines.push(directive("default-server", ...serverOptionWords(section.defaultServer)));
  for (const server of section.servers ?? []) lines.push(serverLine(server));
  return lines;
}

function globalLines(global: GlobalSection): string[] {
  const lines: string[] = [];
  for (const target of global.log ?? []) lines.push(logLine(target));
  if (global.maxconn !== undefined) lines.push(`maxconn ${global.maxconn}`);
  if (global.chroot !== undefined) lines.push(`chroot ${token(global.chroot)}`);
  if (global.user !== undefined) lines.push(`user ${token(global.user)}`);
  if (global.group !== undefined) lines.push(`group ${token(global.group)}`);
  if (global.daemon) lines.push("daemon");
  if (global.masterWorker) lines.push("master-worker");
  if (global.nbthread !== undefined) lines.push(`nbthread ${global.nbthread}`);
  if (global.hardStopAfter !== undefined) lines.push(`hard-stop-after ${token(global.hardStopAfter)}`);
  if (global.pidfile !== undefined) lines.push(`pidfile ${token(global.pidfile)}`);
  for (const socket of global.statsSockets ?? []) {
    lines.push(directive("stats socket", token(socket.path), socket.mode !== undefined && `mode ${token(socket.mode)}`, pair("level", socket.level), socket.exposeFdListeners && "expose-fd listeners"));
  }
  if (global.caBase !== undefined) lines.push(`ca-base ${token(global.caBase)}`);
  if (global.crtBase !== undefined) lines.push(`crt-base ${token(global.crtBase)}`);
  if (global.sslDefaultBindCiphers !== undefined) lines.push(`ssl-default-bind-ciphers ${token(global.sslDefaultBindCiphers)}`);
  if (global.sslDefaultBindCiphersuites !== undefined) lines.push(`ssl-default-bind-ciphersuites ${token(global.sslDefaultBindCiphersuites)}`);
  // "ssl-min-ver TLSv1.2" is one option of two words.
  if (global.sslDefaultBindOptions?.length) lines.push(directive("ssl-default-bind-options", ...global.sslDefaultBindOptions.flatMap((o) => o.split(" ").map(token))));
  if (global.sslDefaultServerCiphers !== undefined) lines.push(`ssl-default-server-ciphers ${token(global.sslDefaultServerCiphers)}`);
  if (global.sslDefaultServerCiphersuites !== undefined) lines.push(`ssl-default-server-ciphersuites ${token(global.sslDefaultServerCiphersuites)}`);
  if (global.sslDefaultServerOptions?.length) lines.push(directive("ssl-default-server-options", ...global.sslDefaultServerOptions.flatMap((o) => o.split(" ").map(token))));
  return lines;
}

function userlistLines(userlist: Userlist): string[] {
  return [
    ...(userlist.groups ?? []).map((group) => `group ${token(group)}`),
    ...userlist.users.map((user) =>
      directive(
        "user",
        token(user.name),
        "hashed" in user.password ? `password ${cryptHash(user.password.hashed)}` : `insecure-password ${text(user.password.insecure)}`,
        user.groups !== undefined && user.groups.length > 0 && `groups ${token(user.groups.join(","))}`,
      ),
    ),
  ];
}

function section(header: string, body: readonly string[]): string {
  return [header, ...body.map((line) => INDENT + line)].join("\n");
}

/**
 * Renders without validating, for callers that validated already (and for tests that need the
 * text of an invalid model). Still refuses, with UnsafeWordError, a token or text that cannot be
 * written as one word; it never writes a line break from a value.
 */
export function renderUnchecked(config: HaproxyConfig): string {
  const blocks = [
    section("global", globalLines(config.global)),
    ...config.defaults.map((d) => section(d.name !== undefined ? `defaults ${token(d.name)}` : "defaults", proxyLines(d))),
    ...(config.userlists ?? []).map((u) => section(`userlist ${token(u.name)}`, userlistLines(u))),
    ...config.frontends.map((f) => section(`frontend ${token(f.name)}`, proxyLines(f))),
    ...config.backends.map((b) => section(`backend ${token(b.name)}`, proxyLines(b))),
    ...(config.listens ?? []).map((l) => section(`listen ${token(l.name)}`, proxyLines(l))),
  ];
  return `${blocks.join("\n\n")}\n`;
}

/** Validates, then renders. Throws `HaproxyConfigError` (with every problem) on any error. */
export function renderHaproxyConfig(config: HaproxyConfig): string {
  const problems = validateHaproxyConfig(config);
  if (problems.some((p) => p.severity === "error")) throw new HaproxyConfigError(problems);
  return renderUnchecked(config);
}
