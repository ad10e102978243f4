/**
 * HaproxyConfig → haproxy.cfg text (HAProxy 2.4+ syntax). Deterministic and canonical: the same
 * model always gives the same bytes, every value goes through `word()` (see quote.ts), and the
 * text ends with a newline (recent HAProxy rejects a last line without one).
 *
 * Order. Sections: global, defaults, userlist, frontend, backend, listen, each in model order.
 * Inside a proxy section:
 *   bind, mode, log, log-format, maxconn, balance, cookie, options (httplog/tcplog, dontlognull,
 *   connection mode, forwardfor, redispatch, abortonclose, http-buffer-request), httpchk and
 *   http-check, retries, retry-on, http-reuse, timeouts (connect, client, server, http-request,
 *   http-keep-alive, queue, check, tunnel, client-fin, server-fin), errorfile, stats, acl,
 *   http-request, http-response, use_backend, default_backend, default-server, server.
 */
import type {
  Acl,
  AclFetch,
  Balance,
  Bind,
  Condition,
  CookiePersistence,
  DefaultsSection,
  GlobalSection,
  HaproxyConfig,
  HttpRequestRule,
  HttpResponseRule,
  ListenSection,
  LogTarget,
  ProxyCommon,
  Server,
  ServerOptions,
  ServerSide,
  ClientSide,
  Stats,
  TimeoutName,
  Userlist,
  ConfigProblem,
} from "./model";
import { word } from "./quote";
import { validateHaproxyConfig } from "./validate";

export const TIMEOUT_ORDER: readonly TimeoutName[] = [
  "connect", "client", "server", "http-request", "http-keep-alive", "queue", "check", "tunnel", "client-fin", "server-fin",
];

export class HaproxyConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const errors = problems.filter((p) => p.severity === "error");
    super(`haproxy.cfg has ${errors.length} error(s):\n${errors.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "HaproxyConfigError";
    this.problems = problems;
  }
}

const INDENT = "    ";
type Line = readonly (string | number)[];

function line(keyword: string, ...args: (string | number | undefined | false)[]): Line {
  return [keyword, ...args.filter((a): a is string | number => a !== undefined && a !== false)];
}

/** Words already quoted by the caller pass through; everything else goes through `word()`. */
function text(words: Line): string {
  return words.map((w) => (typeof w === "number" ? String(w) : w)).join(" ");
}

const w = (value: string): string => word(value);

export function renderCondition(condition: Condition): string {
  const terms = condition.terms.map((term, index) => {
    const or = index > 0 && term.join === "or" ? "|| " : "";
    return `${or}${term.negate ? "!" : ""}${w(term.acl)}`;
  });
  return [condition.op, ...terms].join(" ");
}

function fetchText(criterion: AclFetch): string {
  switch (criterion.fetch) {
    case "hdr": case "hdr_beg": case "hdr_end": case "hdr_sub": case "hdr_dom": case "hdr_reg": case "hdr_cnt":
      return `${criterion.fetch}(${criterion.header})`;
    case "url_param":
      return `url_param(${criterion.param})`;
    case "http_auth": case "http_auth_group":
      return `${criterion.fetch}(${criterion.userlist})`;
    case "nbsrv":
      return `nbsrv(${criterion.backend})`;
    default:
      return criterion.fetch;
  }
}

function aclLine(acl: Acl): string {
  return text(line("acl", w(acl.name), fetchText(acl.criterion), acl.ignoreCase && "-i", acl.match && `-m ${acl.match}`, ...acl.values.map(w)));
}

function withCondition(words: string, condition: Condition | undefined): string {
  return condition ? `${words} ${renderCondition(condition)}` : words;
}

function httpRequestLine(rule: HttpRequestRule): string {
  switch (rule.action) {
    case "set-header": case "add-header":
      return withCondition(`http-request ${rule.action} ${w(rule.name)} ${w(rule.value)}`, rule.condition);
    case "del-header":
      return withCondition(`http-request del-header ${w(rule.name)}`, rule.condition);
    case "deny":
      return withCondition(text(line("http-request", "deny", rule.denyStatus !== undefined && `deny_status ${rule.denyStatus}`)), rule.condition);
    case "redirect":
      return withCondition(text(line("http-request", "redirect", rule.type, w(rule.target), rule.code !== undefined && `code ${rule.code}`)), rule.condition);
    case "return":
      return withCondition(
        text(line("http-request", "return", `status ${rule.status}`, rule.contentType !== undefined && `content-type ${w(rule.contentType)}`, rule.body !== undefined && `string ${w(rule.body)}`)),
        rule.condition,
      );
    case "auth":
      return withCondition(text(line("http-request", "auth", rule.realm !== undefined && `realm ${w(rule.realm)}`)), rule.condition);
  }
}

function httpResponseLine(rule: HttpResponseRule): string {
  switch (rule.action) {
    case "set-header": case "add-header":
      return withCondition(`http-response ${rule.action} ${w(rule.name)} ${w(rule.value)}`, rule.condition);
    case "del-header":
      return withCondition(`http-response del-header ${w(rule.name)}`, rule.condition);
  }
}

function logLine(target: LogTarget): string {
  return text(line("log", w(target.target), target.facility, target.level, target.level && target.minLevel));
}

function balanceLine(balance: Balance): string {
  switch (balance.algorithm) {
    case "uri":
      return text(line("balance", "uri", balance.whole && "whole", balance.len !== undefined && `len ${balance.len}`, balance.depth !== undefined && `depth ${balance.depth}`));
    case "url_param":
      return text(line("balance", "url_param", w(balance.param), balance.checkPost !== undefined && `check_post ${balance.checkPost}`));
    case "hdr":
      return text(line("balance", `hdr(${balance.header})`, balance.useDomainOnly && "use_domain_only"));
    case "random":
      return balance.draws !== undefined ? `balance random(${balance.draws})` : "balance random";
    case "rdp-cookie":
      return balance.name !== undefined ? `balance rdp-cookie(${balance.name})` : "balance rdp-cookie";
    default:
      return `balance ${balance.algorithm}`;
  }
}

function cookieLine(cookie: CookiePersistence): string {
  const words: (string | false | undefined)[] = [w(cookie.name), cookie.mode, cookie.indirect && "indirect", cookie.preserve && "preserve"];
  if (cookie.mode === "insert") {
    words.push(
      cookie.nocache && "nocache",
      cookie.postonly && "postonly",
      cookie.httponly && "httponly",
      cookie.secure && "secure",
      ...(cookie.domain ?? []).map((d) => `domain ${w(d)}`),
      cookie.maxidle && `maxidle ${cookie.maxidle}`,
      cookie.maxlife && `maxlife ${cookie.maxlife}`,
    );
  }
  return text(line("cookie", ...words));
}

function serverOptionWords(options: ServerOptions): (string | false | undefined)[] {
  return [
    options.weight !== undefined && `weight ${options.weight}`,
    options.check && "check",
    options.inter && `inter ${options.inter}`,
    options.fastinter && `fastinter ${options.fastinter}`,
    options.downinter && `downinter ${options.downinter}`,
    options.rise !== undefined && `rise ${options.rise}`,
    options.fall !== undefined && `fall ${options.fall}`,
    options.maxconn !== undefined && `maxconn ${options.maxconn}`,
    options.source !== undefined && `source ${w(options.source)}`,
    options.sendProxy === "v1" && "send-proxy",
    options.sendProxy === "v2" && "send-proxy-v2",
    options.ssl && "ssl",
    options.ssl && `verify ${options.ssl.verify}`,
    options.ssl?.verify === "required" && `ca-file ${w(options.ssl.caFile)}`,
    options.ssl?.sni !== undefined && `sni str(${options.ssl.sni})`,
  ];
}

function serverLine(server: Server): string {
  const address = server.port !== undefined ? `${formatAddress(server.address)}:${server.port}` : server.address;
  return text(
    line(
      "server",
      w(server.name),
      w(address),
      server.cookie !== undefined && `cookie ${w(server.cookie)}`,
      ...serverOptionWords(server),
      server.backup && "backup",
      server.disabled && "disabled",
    ),
  );
}

/** IPv6 addresses get brackets-free `ipv6@` form is not needed: HAProxy takes `::1:80`, but brackets read better. */
function formatAddress(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

function bindLine(bind: Bind): string {
  const address = bind.address === undefined || bind.address === "*" ? `:${bind.port}` : `${formatAddress(bind.address)}:${bind.port}`;
  return text(
    line(
      "bind",
      w(address),
      bind.name !== undefined && `name ${w(bind.name)}`,
      bind.ssl && `ssl crt ${w(bind.ssl.crt)}`,
      bind.ssl?.alpn && bind.ssl.alpn.length > 0 && `alpn ${w(bind.ssl.alpn.join(","))}`,
      bind.acceptProxy && "accept-proxy",
      bind.v4v6 && "v4v6",
      bind.transparent && "transparent",
      bind.deferAccept && "defer-accept",
      bind.tfo && "tfo",
      bind.maxconn !== undefined && `maxconn ${bind.maxconn}`,
    ),
  );
}

function statsLines(stats: Stats): string[] {
  const lines = ["stats enable"];
  if (stats.uri !== undefined) lines.push(`stats uri ${w(stats.uri)}`);
  if (stats.auth?.kind === "userlist") {
    // `stats realm`/`stats auth` cannot be combined with `stats http-request` (HAProxy refuses).
    lines.push(text(line("stats http-request auth", stats.realm !== undefined && `realm ${w(stats.realm)}`, `unless { http_auth(${stats.auth.userlist}) }`)));
  } else {
    if (stats.realm !== undefined) lines.push(`stats realm ${w(stats.realm)}`);
    for (const credentials of stats.auth?.credentials ?? []) lines.push(`stats auth ${w(`${credentials.user}:${credentials.password}`)}`);
  }
  if (stats.refresh) lines.push(`stats refresh ${stats.refresh}`);
  if (stats.admin) lines.push(`stats admin ${renderCondition(stats.admin)}`);
  if (stats.hideVersion) lines.push("stats hide-version");
  if (stats.showLegends) lines.push("stats show-legends");
  return lines;
}

function commonHead(section: ProxyCommon & { binds?: readonly Bind[] }): string[] {
  const lines: string[] = (section.binds ?? []).map(bindLine);
  if (section.mode) lines.push(`mode ${section.mode}`);
  if (section.log === "global") lines.push("log global");
  else for (const target of section.log ?? []) lines.push(logLine(target));
  if (section.logFormat !== undefined) lines.push(`log-format ${w(section.logFormat)}`);
  if (section.maxconn !== undefined) lines.push(`maxconn ${section.maxconn}`);
  return lines;
}

function optionLines(section: ProxyCommon & Partial<ServerSide>): string[] {
  const lines: string[] = [];
  if (section.balance) lines.push(balanceLine(section.balance));
  if (section.cookie) lines.push(cookieLine(section.cookie));
  const option = section.option ?? {};
  if (option.httplog) lines.push(option.httplog === "clf" ? "option httplog clf" : "option httplog");
  if (option.tcplog) lines.push("option tcplog");
  if (option.dontlognull) lines.push("option dontlognull");
  if (section.connectionMode) lines.push(`option ${section.connectionMode}`);
  if (option.forwardfor) {
    const ff = option.forwardfor === true ? {} : option.forwardfor;
    lines.push(text(line("option forwardfor", ff.except !== undefined && `except ${w(ff.except)}`, ff.header !== undefined && `header ${w(ff.header)}`, ff.ifNone && "if-none")));
  }
  if (option.redispatch) lines.push(option.redispatch === true ? "option redispatch" : `option redispatch ${option.redispatch.interval}`);
  if (option.abortonclose) lines.push("option abortonclose");
  if (option["http-buffer-request"]) lines.push("option http-buffer-request");
  if (option.httpchk) {
    lines.push("option httpchk");
    const check = option.httpchk;
    if (check.method || check.uri || check.version || check.host) {
      lines.push(
        text(line("http-check send", check.method && `meth ${check.method}`, check.uri !== undefined && `uri ${w(check.uri)}`, check.version && `ver ${check.version}`, check.host !== undefined && `hdr Host ${w(check.host)}`)),
      );
    }
  }
  if (section.httpCheckExpect) {
    const expect = section.httpCheckExpect;
    const pattern = expect.match === "status" ? expect.value : expect.pattern;
    lines.push(text(line("http-check expect", expect.negate && "!", expect.match, w(pattern))));
  }
  if (section.retries !== undefined) lines.push(`retries ${section.retries}`);
  if (section.retryOn && section.retryOn.length > 0) lines.push(`retry-on ${section.retryOn.join(" ")}`);
  if (section.httpReuse) lines.push(`http-reuse ${section.httpReuse}`);
  for (const name of TIMEOUT_ORDER) {
    const value = section.timeout?.[name];
    if (value) lines.push(`timeout ${name} ${value}`);
  }
  for (const errorfile of section.errorfiles ?? []) lines.push(`errorfile ${errorfile.status} ${w(errorfile.file)}`);
  if (section.stats) lines.push(...statsLines(section.stats));
  return lines;
}

function clientLines(section: Partial<ClientSide> & { acls?: readonly Acl[]; httpRequest?: readonly HttpRequestRule[]; httpResponse?: readonly HttpResponseRule[] }): string[] {
  return [
    ...(section.acls ?? []).map(aclLine),
    ...(section.httpRequest ?? []).map(httpRequestLine),
    ...(section.httpResponse ?? []).map(httpResponseLine),
    ...(section.useBackends ?? []).map((rule) => `use_backend ${w(rule.backend)} ${renderCondition(rule.condition)}`),
    ...(section.defaultBackend !== undefined ? [`default_backend ${w(section.defaultBackend)}`] : []),
  ];
}

function serverLines(section: Partial<ServerSide> & { servers?: readonly Server[] }): string[] {
  const lines: string[] = [];
  if (section.defaultServer) lines.push(text(line("default-server", ...serverOptionWords(section.defaultServer))));
  for (const server of section.servers ?? []) lines.push(serverLine(server));
  return lines;
}

function globalLines(global: GlobalSection): string[] {
  const lines: string[] = [];
  for (const target of global.log ?? []) lines.push(logLine(target));
  if (global.maxconn !== undefined) lines.push(`maxconn ${global.maxconn}`);
  if (global.chroot !== undefined) lines.push(`chroot ${w(global.chroot)}`);
  if (global.user !== undefined) lines.push(`user ${w(global.user)}`);
  if (global.group !== undefined) lines.push(`group ${w(global.group)}`);
  if (global.daemon) lines.push("daemon");
  if (global.masterWorker) lines.push("master-worker");
  if (global.nbthread !== undefined) lines.push(`nbthread ${global.nbthread}`);
  if (global.pidfile !== undefined) lines.push(`pidfile ${w(global.pidfile)}`);
  for (const socket of global.statsSockets ?? []) {
    lines.push(text(line("stats socket", w(socket.path), socket.mode !== undefined && `mode ${socket.mode}`, socket.level && `level ${socket.level}`, socket.exposeFdListeners && "expose-fd listeners")));
  }
  if (global.caBase !== undefined) lines.push(`ca-base ${w(global.caBase)}`);
  if (global.crtBase !== undefined) lines.push(`crt-base ${w(global.crtBase)}`);
  if (global.sslDefaultBindCiphers !== undefined) lines.push(`ssl-default-bind-ciphers ${w(global.sslDefaultBindCiphers)}`);
  if (global.sslDefaultBindCiphersuites !== undefined) lines.push(`ssl-default-bind-ciphersuites ${w(global.sslDefaultBindCiphersuites)}`);
  if (global.sslDefaultBindOptions?.length) lines.push(`ssl-default-bind-options ${global.sslDefaultBindOptions.map(w).join(" ")}`);
  if (global.sslDefaultServerCiphers !== undefined) lines.push(`ssl-default-server-ciphers ${w(global.sslDefaultServerCiphers)}`);
  if (global.sslDefaultServerCiphersuites !== undefined) lines.push(`ssl-default-server-ciphersuites ${w(global.sslDefaultServerCiphersuites)}`);
  if (global.sslDefaultServerOptions?.length) lines.push(`ssl-default-server-options ${global.sslDefaultServerOptions.map(w).join(" ")}`);
  return lines;
}

function userlistLines(userlist: Userlist): string[] {
  return [
    ...(userlist.groups ?? []).map((group) => `group ${w(group)}`),
    ...userlist.users.map((user) =>
      text(
        line(
          "user",
          w(user.name),
          "hashed" in user.password ? `password ${w(user.password.hashed)}` : `insecure-password ${w(user.password.insecure)}`,
          user.groups && user.groups.length > 0 && `groups ${w(user.groups.join(","))}`,
        ),
      ),
    ),
  ];
}

function section(header: string, body: readonly string[]): string {
  return [header, ...body.map((l) => INDENT + l)].join("\n");
}

function defaultsHeader(defaults: DefaultsSection): string {
  return defaults.name !== undefined ? `defaults ${w(defaults.name)}` : "defaults";
}

function listenLines(listen: ListenSection): string[] {
  return [...commonHead(listen), ...optionLines(listen), ...clientLines(listen), ...serverLines(listen)];
}

/** Renders without validating: for callers that validated already. */
export function renderUnchecked(config: HaproxyConfig): string {
  const blocks = [
    section("global", globalLines(config.global)),
    ...config.defaults.map((d) => section(defaultsHeader(d), [...commonHead(d), ...optionLines(d), ...serverLines(d)])),
    ...(config.userlists ?? []).map((u) => section(`userlist ${w(u.name)}`, userlistLines(u))),
    ...config.frontends.map((f) => section(`frontend ${w(f.name)}`, [...commonHead(f), ...optionLines(f), ...clientLines(f)])),
    ...config.backends.map((b) => section(`backend ${w(b.name)}`, [...commonHead(b), ...optionLines(b), ...clientLines(b), ...serverLines(b)])),
    ...(config.listens ?? []).map((l) => section(`listen ${w(l.name)}`, listenLines(l))),
  ];
  return `${blocks.join("\n\n")}\n`;
}

/** Validates, then renders. Throws `HaproxyConfigError` (with every problem) on any error. */
export function renderHaproxyConfig(config: HaproxyConfig): string {
  const problems = validateHaproxyConfig(config);
  if (problems.some((p) => p.severity === "error")) throw new HaproxyConfigError(problems);
  return renderUnchecked(config);
}
