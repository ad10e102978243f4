/**
 * fast-check generators of whole HaproxyConfig models: every section kind, ACLs and conditions
 * that reference each other, rules of every action, balance algorithms, cookie modes, checks, and
 * free-text values full of characters that need quoting. Addresses are fixed private/loopback
 * ones: `haproxy -c` never connects anywhere, and a host name would need DNS.
 */
import fc from "fast-check";
import type {
  Acl,
  BackendSection,
  Balance,
  Condition,
  CookiePersistence,
  DefaultsSection,
  Duration,
  FrontendSection,
  GlobalSection,
  HaproxyConfig,
  HttpRequestRule,
  HttpResponseRule,
  Server,
  ServerOptions,
  Stats,
  Userlist,
} from "../../components/haproxy";
import { STATS_HASH } from "./fixtures";

/** Printable text with everything HAProxy's tokenizer cares about: blanks, quotes, #, $, \, braces. */
export const textArb = fc.string({ unit: fc.constantFrom("a", "B", "1", " ", "#", "'", '"', "\\", "$", "{", "}", "!", "|", "-", ":", "/", "é", "%%"), minLength: 1, maxLength: 14 });
const durationArb = fc.constantFrom<Duration>("100ms", "500ms", "1s", "2s", "10s", "30s", "1m");

const serverOptionsArb: fc.Arbitrary<ServerOptions> = fc.record(
  {
    weight: fc.integer({ min: 0, max: 256 }),
    check: fc.boolean(),
    inter: durationArb,
    fastinter: durationArb,
    downinter: durationArb,
    rise: fc.integer({ min: 1, max: 5 }),
    fall: fc.integer({ min: 1, max: 5 }),
    maxconn: fc.integer({ min: 1, max: 10_000 }),
    source: fc.constantFrom("192.168.1.20", "10.0.0.20"),
    sendProxy: fc.constantFrom("v1" as const, "v2" as const),
  },
  { requiredKeys: [] },
).map((options) => (options.check === false ? { ...options, check: true } : options));

function aclArb(name: string): fc.Arbitrary<Acl> {
  return fc.oneof(
    fc.record({ fetch: fc.constantFrom("path_end" as const, "path_beg" as const, "path_sub" as const, "path" as const, "url_beg" as const), ignoreCase: fc.boolean(), values: fc.uniqueArray(textArb, { minLength: 1, maxLength: 4 }) })
      .map(({ fetch, ignoreCase, values }) => ({ name, criterion: { fetch }, ignoreCase, values })),
    fc.record({ header: fc.constantFrom("host", "user-agent", "x-lab"), fetch: fc.constantFrom("hdr" as const, "hdr_end" as const, "hdr_beg" as const, "hdr_sub" as const), values: fc.uniqueArray(textArb, { minLength: 1, maxLength: 3 }) })
      .map(({ header, fetch, values }) => ({ name, criterion: { fetch, header }, values })),
    fc.uniqueArray(fc.constantFrom("10.0.0.0/8", "192.168.1.0/24", "127.0.0.1", "fd00::/8"), { minLength: 1 }).map((values): Acl => ({ name, criterion: { fetch: "src" }, values })),
    fc.uniqueArray(fc.constantFrom("GET", "POST", "HEAD", "PUT"), { minLength: 1 }).map((values): Acl => ({ name, criterion: { fetch: "method" }, values })),
    fc.constantFrom<Acl>({ name, criterion: { fetch: "ssl_fc" }, values: [] }, { name, criterion: { fetch: "url_param", param: "debug" }, match: "found", values: [] }, { name, criterion: { fetch: "path_reg" }, values: ["^/a(b|c)+$"] }, { name, criterion: { fetch: "dst_port" }, values: ["80", "8000:8080"] }),
  );
}

function conditionArb(acls: readonly string[]): fc.Arbitrary<Condition> {
  return fc.record({
    op: fc.constantFrom("if" as const, "unless" as const),
    terms: fc.array(fc.record({ acl: fc.constantFrom(...acls), negate: fc.boolean(), join: fc.constantFrom("and" as const, "or" as const) }), { minLength: 1, maxLength: 3 }),
  }).map(({ op, terms }) => ({ op, terms: terms.map((term, index) => (index === 0 ? { acl: term.acl, negate: term.negate } : term)) }));
}

const headerValueArb = (context: "request" | "response") =>
  fc.oneof(textArb, fc.constantFrom(...(context === "request" ? ["%[src]", "from %[src] via %[fe_name]", "%[req.hdr(host)]"] : ["%[be_name]/%[srv_name]", "%[status]"])));

function httpRequestArb(acls: readonly string[]): fc.Arbitrary<HttpRequestRule> {
  const withCondition = <T extends object>(arb: fc.Arbitrary<T>) =>
    fc.tuple(arb, acls.length > 0 ? fc.option(conditionArb(acls), { nil: undefined }) : fc.constant(undefined)).map(([rule, condition]) => (condition ? { ...rule, condition } : rule));
  return fc.oneof(
    withCondition(fc.record({ action: fc.constantFrom("set-header" as const, "add-header" as const), name: fc.constantFrom("X-Lab", "X-Forwarded-Proto"), value: headerValueArb("request") })),
    withCondition(fc.record({ action: fc.constant("del-header" as const), name: fc.constantFrom("X-Debug", "Server") })),
    withCondition(fc.record({ action: fc.constant("deny" as const), denyStatus: fc.constantFrom(403 as const, 429 as const, 503 as const) }, { requiredKeys: ["action"] })),
    withCondition(fc.record({ action: fc.constant("redirect" as const), type: fc.constantFrom("location" as const, "prefix" as const), target: fc.oneof(textArb, fc.constant("https://lab.example%[path]")), code: fc.constantFrom(301 as const, 302 as const, 308 as const) })),
    withCondition(fc.record({ action: fc.constant("redirect" as const), type: fc.constant("scheme" as const), target: fc.constant("https") })),
    withCondition(fc.oneof(
      fc.record({ action: fc.constant("return" as const), status: fc.constantFrom(200, 204, 404, 503), contentType: fc.constantFrom("text/plain", "text/html; charset=utf-8"), body: textArb }),
      fc.record({ action: fc.constant("return" as const), status: fc.constantFrom(200, 204) }),
    )),
    withCondition(fc.record({ action: fc.constant("auth" as const), realm: textArb.filter((r) => !/["\\]/.test(r)) }, { requiredKeys: ["action"] })),
  ) as fc.Arbitrary<HttpRequestRule>;
}

function httpResponseArb(acls: readonly string[]): fc.Arbitrary<HttpResponseRule> {
  return fc.oneof(
    fc.record({ action: fc.constantFrom("set-header" as const, "add-header" as const), name: fc.constantFrom("X-Frame-Options", "X-Served-By"), value: headerValueArb("response") }),
    fc.record({ action: fc.constant("del-header" as const), name: fc.constant("Server") }),
  ).chain((rule) => (acls.length > 0 ? fc.option(conditionArb(acls), { nil: undefined }).map((condition) => (condition ? { ...rule, condition } : rule)) : fc.constant(rule)));
}

const balanceArb: fc.Arbitrary<Balance> = fc.constantFrom<Balance>(
  { algorithm: "roundrobin" }, { algorithm: "static-rr" }, { algorithm: "leastconn" }, { algorithm: "first" }, { algorithm: "source" },
  { algorithm: "uri", whole: true, depth: 2 }, { algorithm: "url_param", param: "user" }, { algorithm: "hdr", header: "host", useDomainOnly: true },
  { algorithm: "random", draws: 2 }, { algorithm: "rdp-cookie", name: "mstshash" },
);

const cookieArb: fc.Arbitrary<CookiePersistence | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant<CookiePersistence>({ name: "PHPSESSID", mode: "prefix" }),
  fc.constant<CookiePersistence>({ name: "JSESSIONID", mode: "rewrite" }),
  fc.record({ nocache: fc.boolean(), httponly: fc.boolean(), secure: fc.boolean(), indirect: fc.boolean(), postonly: fc.boolean(), maxidle: fc.option(durationArb, { nil: undefined }), domain: fc.option(fc.constant([".lab.example"]), { nil: undefined }) })
    .map((c): CookiePersistence => ({ name: "SERVERID", mode: "insert", nocache: c.nocache, httponly: c.httponly, secure: c.secure, indirect: c.indirect, postonly: c.postonly, ...(c.maxidle ? { maxidle: c.maxidle } : {}), ...(c.domain ? { domain: c.domain } : {}) })),
);

function backendArb(name: string, index: number): fc.Arbitrary<BackendSection> {
  return fc.record({
    balance: balanceArb,
    cookie: cookieArb,
    connectionMode: fc.option(fc.constantFrom("httpclose" as const, "http-server-close" as const, "http-keep-alive" as const), { nil: undefined }),
    forwardfor: fc.oneof(fc.constant(undefined), fc.constant(true as const), fc.constant({ except: "127.0.0.0/8", header: "X-Client-IP", ifNone: true })),
    httpchk: fc.option(fc.record({ method: fc.constantFrom("GET" as const, "HEAD" as const), uri: fc.constantFrom("/", "/index.html", "/health?full=1"), version: fc.constant("HTTP/1.1" as const), host: fc.constant("localhost") }), { nil: undefined }),
    expect: fc.option(fc.oneof(fc.constant({ match: "status" as const, value: "200-399" }), textArb.map((pattern) => ({ match: "string" as const, pattern }))), { nil: undefined }),
    defaultServer: fc.option(serverOptionsArb, { nil: undefined }),
    servers: fc.array(serverOptionsArb, { minLength: 1, maxLength: 4 }),
    backup: fc.boolean(),
  }).map((b): BackendSection => {
    const servers: Server[] = b.servers.map((options, i) => ({
      ...options,
      name: `${name}_s${i}`,
      address: `10.${index}.0.${i + 10}`,
      port: 8000 + i,
      ...(b.cookie ? { cookie: `C${i}` } : {}),
      ...(b.backup && i > 0 && i === b.servers.length - 1 ? { backup: true } : {}),
      check: true,
    }));
    return {
      name,
      balance: b.balance,
      ...(b.cookie ? { cookie: b.cookie } : {}),
      ...(b.connectionMode ? { connectionMode: b.connectionMode } : {}),
      ...(b.forwardfor || b.httpchk ? { option: { ...(b.forwardfor ? { forwardfor: b.forwardfor } : {}), ...(b.httpchk ? { httpchk: b.httpchk } : {}) } } : {}),
      ...(b.httpchk && b.expect ? { httpCheckExpect: b.expect } : {}),
      ...(b.defaultServer ? { defaultServer: b.defaultServer } : {}),
      servers,
    };
  });
}

const userlistArb: fc.Arbitrary<Userlist> = fc.record({
  insecure: fc.option(textArb, { nil: undefined }),
}).map(({ insecure }) => ({
  name: "lab_users",
  groups: ["admins"],
  users: [
    { name: "admin", password: { hashed: STATS_HASH }, groups: ["admins"] },
    ...(insecure !== undefined ? [{ name: "guest", password: { insecure } }] : []),
  ],
}));

function statsArb(acls: readonly string[]): fc.Arbitrary<Stats> {
  return fc.record({
    uri: fc.constantFrom("/stats", "/haproxy?stats", "/admin/stats"),
    realm: fc.option(textArb.filter((r) => !/["\\]/.test(r)), { nil: undefined }),
    inline: fc.option(fc.record({ user: fc.constantFrom("admin", "ops"), password: textArb }), { nil: undefined }),
    refresh: fc.option(durationArb, { nil: undefined }),
    admin: acls.length > 0 ? fc.option(conditionArb(acls), { nil: undefined }) : fc.constant(undefined),
    hideVersion: fc.boolean(),
  }).map((s) => ({
    enable: true as const,
    uri: s.uri,
    ...(s.realm !== undefined ? { realm: s.realm } : {}),
    auth: s.inline ? { kind: "inline" as const, credentials: [s.inline] } : { kind: "userlist" as const, userlist: "lab_users" },
    ...(s.refresh ? { refresh: s.refresh } : {}),
    ...(s.admin ? { admin: s.admin } : {}),
    hideVersion: s.hideVersion,
  }));
}

export const modelArb: fc.Arbitrary<HaproxyConfig> = fc
  .record({
    backendCount: fc.integer({ min: 1, max: 3 }),
    aclCount: fc.integer({ min: 0, max: 4 }),
    global: fc.record({ maxconn: fc.integer({ min: 100, max: 100_000 }), nbthread: fc.integer({ min: 1, max: 2 }), masterWorker: fc.boolean() }),
    defaults: fc.record({
      httplog: fc.boolean(),
      dontlognull: fc.boolean(),
      redispatch: fc.constantFrom(undefined, true as const, { interval: 1 }, { interval: -1 }),
      retries: fc.integer({ min: 1, max: 5 }),
      retryOn: fc.option(fc.constantFrom(["all-retryable-errors" as const], ["conn-failure" as const, "503" as const]), { nil: undefined }),
      httpReuse: fc.option(fc.constantFrom("never" as const, "safe" as const, "aggressive" as const, "always" as const), { nil: undefined }),
      keepAlive: fc.option(durationArb, { nil: undefined }),
      maxconn: fc.integer({ min: 100, max: 10_000 }),
    }),
    frontendMode: fc.option(fc.constantFrom("httpclose" as const, "http-server-close" as const), { nil: undefined }),
    binds: fc.uniqueArray(fc.record({ address: fc.constantFrom(undefined, "192.168.1.20", "127.0.0.1", "::"), port: fc.integer({ min: 1, max: 65535 }) }), { minLength: 1, maxLength: 2, selector: (b) => b.port }),
    userlist: fc.boolean(),
  })
  .chain((m) => {
    const backendNames = Array.from({ length: m.backendCount }, (_, i) => `be${i}`);
    const aclNames = Array.from({ length: m.aclCount }, (_, i) => `acl${i}`);
    return fc.record({
      m: fc.constant(m),
      backends: fc.tuple(...backendNames.map((name, index) => backendArb(name, index))),
      acls: fc.tuple(...aclNames.map(aclArb)),
      httpRequest: fc.array(httpRequestArb(aclNames), { maxLength: 4 }),
      httpResponse: fc.array(httpResponseArb(aclNames), { maxLength: 2 }),
      useBackends: aclNames.length > 0 ? fc.array(fc.record({ backend: fc.constantFrom(...backendNames), condition: conditionArb(aclNames) }), { maxLength: 3 }) : fc.constant([]),
      defaultBackend: fc.constantFrom(...backendNames),
      stats: fc.option(statsArb(aclNames), { nil: undefined }),
      userlist: userlistArb,
    });
  })
  .map(({ m, backends, acls, httpRequest, httpResponse, useBackends, defaultBackend, stats, userlist }): HaproxyConfig => {
    const global: GlobalSection = { log: [{ target: "/dev/log", facility: "local0" }], ...m.global };
    const defaults: DefaultsSection = {
      mode: "http",
      log: "global",
      maxconn: m.defaults.maxconn,
      option: { httplog: m.defaults.httplog, dontlognull: m.defaults.dontlognull, ...(m.defaults.redispatch ? { redispatch: m.defaults.redispatch } : {}) },
      retries: m.defaults.retries,
      ...(m.defaults.retryOn ? { retryOn: m.defaults.retryOn } : {}),
      ...(m.defaults.httpReuse ? { httpReuse: m.defaults.httpReuse } : {}),
      timeout: { connect: "5s", client: "50s", server: "50s", ...(m.defaults.keepAlive ? { "http-keep-alive": m.defaults.keepAlive } : {}) },
    };
    const needsUserlist = m.userlist || (stats !== undefined && stats.auth?.kind === "userlist");
    // HAProxy 2.x only closes the client side when the frontend says httpclose (a validator warning otherwise).
    const closes = backends.some((b) => b.connectionMode === "httpclose");
    const frontend: FrontendSection = {
      name: "fe_lab",
      ...(closes ? { connectionMode: "httpclose" as const } : m.frontendMode ? { connectionMode: m.frontendMode } : {}),
      binds: m.binds.map((b) => (b.address === undefined ? { port: b.port } : { address: b.address, port: b.port })),
      acls,
      ...(stats ? { stats } : {}),
      httpRequest,
      httpResponse,
      useBackends,
      defaultBackend,
    };
    return { global, defaults: [defaults], userlists: needsUserlist ? [userlist] : [], frontends: [frontend], backends };
  });
