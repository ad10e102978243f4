import { describe, expect, it } from "vitest";
import {
  seedLabHaproxyConfig,
  sha512Crypt,
  validateHaproxyConfig,
  type BackendSection,
  type ConfigProblem,
  type DefaultsSection,
  type FrontendSection,
  type GlobalSection,
  type HaproxyConfig,
  type Server,
} from "../../components/haproxy";

/** The seed preset (hashed stats password): the base every case changes one thing in. */
const seed = (): HaproxyConfig => seedLabHaproxyConfig();
const hash = sha512Crypt("secret", "saltsalt");

function withFrontend(change: (f: FrontendSection) => FrontendSection): HaproxyConfig {
  const base = seed();
  return { ...base, frontends: [change(base.frontends[0])] };
}
function withWeb(change: (b: BackendSection) => BackendSection): HaproxyConfig {
  const base = seed();
  return { ...base, backends: [change(base.backends[0]), base.backends[1]] };
}
function withServer(change: Partial<Server> | Record<string, unknown>): HaproxyConfig {
  return withWeb((b) => ({ ...b, servers: [{ ...b.servers[0], ...change } as Server, ...b.servers.slice(1)] }));
}
function withDefaults(change: (d: DefaultsSection) => DefaultsSection): HaproxyConfig {
  const base = seed();
  return { ...base, defaults: [change(base.defaults[0])] };
}
function withGlobal(change: Partial<GlobalSection> | Record<string, unknown>): HaproxyConfig {
  const base = seed();
  return { ...base, global: { ...base.global, ...change } as GlobalSection };
}
/** A TCP frontend/backend pair next to the seed's HTTP ones. */
function withTcp(frontend: Partial<FrontendSection>, backend: Partial<BackendSection> = {}): HaproxyConfig {
  const base = seed();
  return {
    ...base,
    frontends: [...base.frontends, { name: "tcp_in", mode: "tcp", binds: [{ port: 3306 }], defaultBackend: "tcp_out", ...frontend }],
    backends: [...base.backends, { name: "tcp_out", mode: "tcp", servers: [{ name: "db", address: "10.0.0.5", port: 3306 }], ...backend }],
  };
}
const ifAcl = (acl: string) => ({ op: "if" as const, terms: [{ acl }] });
const cast = <T>(value: unknown): T => value as T;

type Case = [label: string, config: HaproxyConfig, path: string, severity: ConfigProblem["severity"], message: RegExp];

function expectProblem(config: HaproxyConfig, path: string, severity: ConfigProblem["severity"], message: RegExp): void {
  const problems = validateHaproxyConfig(config);
  const atPath = problems.filter((p) => p.path === path);
  expect(atPath, `no problem at ${path}; got:\n${problems.map((p) => `${p.severity} ${p.path}: ${p.message}`).join("\n")}`).not.toEqual([]);
  const match = atPath.find((p) => p.severity === severity && message.test(p.message));
  expect(match, `at ${path}: ${JSON.stringify(atPath, null, 1)}`).toBeDefined();
}

describe("validateHaproxyConfig accepts the presets as they are", () => {
  it.each([
    ["the seed preset", seed()],
    ["the tuned preset with an HTTP check", seedLabHaproxyConfig({ profile: "tuned", healthCheck: { path: "/index.html" } })],
    ["insert cookies", seedLabHaproxyConfig({ cookieMode: "insert" })],
    ["keep-alive exercise", seedLabHaproxyConfig({ keepAlive: "http-server-close" })],
  ])("finds no problem at all in %s", (_label, config) => {
    expect(validateHaproxyConfig(config)).toEqual([]);
  });
});

describe("routing: use_backend, default_backend and conditions", () => {
  it.each<Case>([
    ["the seed's typo in use_backend, with a suggestion", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestatico", condition: ifAcl("url_static") }] })), "frontends[0].useBackends[0].backend", "error", /^backend 'servidorestatico' does not exist\. Did you mean 'servidorestaticos'\? Fix the name or declare the backend\.$/],
    ["an unknown default_backend, with a suggestion", withFrontend((f) => ({ ...f, defaultBackend: "servidore" })), "frontends[0].defaultBackend", "error", /does not exist\. Did you mean 'servidores'\?/],
    ["an unknown backend far from every name, listing the known ones", withFrontend((f) => ({ ...f, defaultBackend: "zzz" })), "frontends[0].defaultBackend", "error", /Known: 'servidores', 'servidorestaticos'/],
    ["a condition on an undeclared ACL, with a suggestion", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestaticos", condition: ifAcl("url_statik") }] })), "frontends[0].useBackends[0].condition.terms[0].acl", "error", /ACL 'url_statik' is not declared in this section.*Did you mean 'url_static'\?/],
    ["an 'or' on the first term", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestaticos", condition: { op: "if", terms: [{ acl: "url_static", join: "or" }] } }] })), "frontends[0].useBackends[0].condition.terms[0].join", "error", /cannot start with 'or'/],
    ["a condition without terms", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestaticos", condition: { op: "if", terms: [] } }] })), "frontends[0].useBackends[0].condition.terms", "error", /at least one ACL term/],
    ["a condition operator that is not if/unless", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestaticos", condition: cast({ op: "when", terms: [{ acl: "url_static" }] }) }] })), "frontends[0].useBackends[0].condition.op", "error", /use one of if, unless/],
    ["a condition too long for one line", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestaticos", condition: { op: "if", terms: Array.from({ length: 26 }, () => ({ acl: "url_static", join: "or" as const })).map((t, i) => (i === 0 ? { acl: t.acl } : t)) } }] })), "frontends[0].useBackends[0].condition.terms", "error", /64 words at most/],
    ["an HTTP frontend routing to a TCP backend", (() => { const c = withTcp({}); return { ...c, frontends: [{ ...c.frontends[0], defaultBackend: "tcp_out" }, c.frontends[1]] }; })(), "frontends[0].defaultBackend", "error", /mode tcp and this section is in mode http/],
    ["a frontend that routes nowhere", withFrontend((f) => ({ ...f, useBackends: [], defaultBackend: undefined })), "frontends[0].defaultBackend", "warning", /routes nowhere/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));
});

describe("duplicates", () => {
  it.each<Case>([
    ["a duplicate ACL", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "url_static", criterion: { fetch: "path_beg" }, values: ["/img"] }] })), "frontends[0].acls[1].name", "error", /declared twice.*merge the values/],
    ["a repeated ACL value (the seed's .png .png)", withFrontend((f) => ({ ...f, acls: [{ name: "url_static", criterion: { fetch: "path_end" }, values: [".gif", ".png", ".png"] }] })), "frontends[0].acls[0].values[2]", "warning", /repeats values\[1\].*remove it/],
    ["a duplicate server name", withWeb((b) => ({ ...b, servers: [b.servers[0], { ...b.servers[1], name: "backend1" }] })), "backends[0].servers[1].name", "error", /server 'backend1' is declared twice.*rename one/],
    ["a duplicate backend name", { ...seed(), backends: [seed().backends[0], { ...seed().backends[1], name: "servidores" }] }, "backends[1].name", "error", /already the name of backends\[0\]/],
    ["a duplicate frontend name", { ...seed(), frontends: [seed().frontends[0], { ...seed().frontends[0], binds: [{ port: 8080 }] }] }, "frontends[1].name", "error", /already the name of frontends\[0\]/],
    ["a listen named like a backend", { ...seed(), listens: [{ name: "servidores", mode: "http", binds: [{ port: 8081 }], servers: [{ name: "s", address: "10.0.0.9", port: 80 }] }] }, "listens[0].name", "error", /already the name of backends\[0\]/],
    ["a duplicate userlist", { ...seed(), userlists: [...(seed().userlists ?? []), { name: "stats_users", users: [{ name: "x", password: { hashed: hash } }] }] }, "userlists[1].name", "error", /declared twice/],
    ["a duplicate user", { ...seed(), userlists: [{ name: "stats_users", users: [{ name: "admin", password: { hashed: hash } }, { name: "admin", password: { hashed: hash } }] }] }, "userlists[0].users[1].name", "error", /user 'admin' is declared twice/],
    ["a duplicate group", { ...seed(), userlists: [{ name: "stats_users", groups: ["ops", "ops"], users: [{ name: "admin", password: { hashed: hash } }] }] }, "userlists[0].groups[1]", "error", /group 'ops' is declared twice/],
    ["the same bind twice", withFrontend((f) => ({ ...f, binds: [f.binds[0], f.binds[0]] })), "frontends[0].binds[1]", "error", /binds 192\.168\.1\.20:80 twice/],
    ["two defaults sections", { ...seed(), defaults: [seed().defaults[0], { mode: "http", name: "more" }] }, "defaults[0]", "warning", /applies to nothing/],
    ["two servers with the same cookie", withWeb((b) => ({ ...b, servers: [b.servers[0], { ...b.servers[1], cookie: "A" }] })), "backends[0].servers[1].cookie", "error", /also used by servers\[0\]/],
    ["two errorfiles for one status", withDefaults((d) => ({ ...d, errorfiles: [{ status: 503, file: "/a.http" }, { status: 503, file: "/b.http" }] })), "defaults[0].errorfiles[1].status", "warning", /keeps the last one/],
    ["two stats sockets on one path", withGlobal({ statsSockets: [{ path: "/run/a.sock" }, { path: "/run/a.sock" }] }), "global.statsSockets[1].path", "error", /declared twice/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));
});

describe("numbers in range", () => {
  it.each<Case>([
    ["a weight above 256", withServer({ weight: 300 }), "backends[0].servers[0].weight", "error", /300 is out of range: HAProxy weights are integers from 0 to 256/],
    ["a negative weight", withServer({ weight: -1 }), "backends[0].servers[0].weight", "error", /0 to 256/],
    ["a fractional weight", withServer({ weight: 1.5 }), "backends[0].servers[0].weight", "error", /0 to 256/],
    ["server port 0", withServer({ port: 0 }), "backends[0].servers[0].port", "error", /not a TCP port: use an integer from 1 to 65535/],
    ["bind port 70000", withFrontend((f) => ({ ...f, binds: [{ address: "192.168.1.20", port: 70000 }] })), "frontends[0].binds[0].port", "error", /1 to 65535/],
    ["global maxconn 0", withGlobal({ maxconn: 0 }), "global.maxconn", "error", /maxconn: use an integer from 1/],
    ["a server maxconn of 0", withServer({ maxconn: 0 }), "backends[0].servers[0].maxconn", "error", /server maxconn/],
    ["rise 0", withServer({ rise: 0 }), "backends[0].servers[0].rise", "error", /rise count.*1 to 1000/],
    ["fall 1001", withServer({ fall: 1001 }), "backends[0].servers[0].fall", "error", /fall count.*1 to 1000/],
    ["retries -1", withDefaults((d) => ({ ...d, retries: -1 })), "defaults[0].retries", "error", /retries count: use an integer from 0 to 100/],
    ["nbthread 0", withGlobal({ nbthread: 0 }), "global.nbthread", "error", /thread count/],
    ["hard-stop-after in bare milliseconds", withGlobal({ hardStopAfter: cast("30000") }), "global.hardStopAfter", "error", /not a hard-stop-after duration/],
    ["idle-close-on-response on a backend", withWeb((b) => ({ ...b, option: { ...b.option, "idle-close-on-response": true } })), "backends[0].option.idle-close-on-response", "error", /client connections, which a backend does not have/],
    ["deny_status 418 (no built-in page)", withFrontend((f) => ({ ...f, httpRequest: [{ action: "deny", denyStatus: 418 as never }] })), "frontends[0].httpRequest[0].denyStatus", "error", /use one of 200, 400, 401, 403/],
    ["a return status of 1000", withFrontend((f) => ({ ...f, httpRequest: [{ action: "return", status: 1000 }] })), "frontends[0].httpRequest[0].status", "error", /200 to 599/],
    ["a redirect code of 300", withFrontend((f) => ({ ...f, httpRequest: [{ action: "redirect", type: "prefix", target: "/new", code: 300 as never }] })), "frontends[0].httpRequest[0].code", "error", /301, 302, 303, 307, 308/],
    ["random with 0 draws", withWeb((b) => ({ ...b, balance: { algorithm: "random", draws: 0 } })), "backends[0].balance.draws", "error", /number of draws/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));

  it.each<[string, HaproxyConfig, string]>([
    ["weight 0 (drained)", withServer({ weight: 0 }), "backends[0].servers[0].weight"],
    ["weight 256", withServer({ weight: 256 }), "backends[0].servers[0].weight"],
    ["port 65535", withServer({ port: 65535 }), "backends[0].servers[0].port"],
    ["retries 0 without redispatch", withDefaults((d) => ({ ...d, retries: 0, option: { ...d.option, redispatch: undefined } })), "defaults[0].retries"],
  ])("accepts %s", (_label, config, path) => {
    expect(validateHaproxyConfig(config).filter((p) => p.path === path)).toEqual([]);
  });
});

describe("addresses", () => {
  it.each<Case>([
    ["a server address with the port inside", withServer({ address: "192.168.1.21:80" }), "backends[0].servers[0].address", "error", /not an IP address or host name: write the address alone and the port in 'port'/],
    ["a server address with a blank", withServer({ address: "backend 1" }), "backends[0].servers[0].address", "error", /not an IP address or host name/],
    ["a bind address that is a host name", withFrontend((f) => ({ ...f, binds: [{ address: "localhost", port: 80 }] })), "frontends[0].binds[0].address", "error", /not an IP address to listen on/],
    ["a source that is a host name", withServer({ source: "haproxy" }), "backends[0].servers[0].source", "error", /not an IP address: 'source' takes the local address/],
    ["an IPv4 address out of range", withServer({ address: "192.168.1.256" }), "backends[0].servers[0].address", "error", /not an IP address or host name/],
    ["forwardfor except that is not a network", withWeb((b) => ({ ...b, option: { forwardfor: { except: "127.0.0.0/33" } } })), "backends[0].option.forwardfor.except", "error", /not a network/],
    ["an ACL on src with a host name", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "lan", criterion: { fetch: "src" }, values: ["gateway"] }] })), "frontends[0].acls[1].values[0]", "error", /not an IP address or network/],
    ["an SNI that is not a host name", withServer({ ssl: { verify: "none", sni: "a_b" } }), "backends[0].servers[0].ssl.sni", "error", /not a host name to send as SNI/],
    ["an httpchk Host that is not a host name", withWeb((b) => ({ ...b, option: { httpchk: { uri: "/", host: "a b" } } })), "backends[0].option.httpchk.host", "error", /not a host name for the Host header/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));

  it.each<[string, HaproxyConfig, string]>([
    ["an IPv6 server", withServer({ address: "fd00::21" }), "backends[0].servers[0].address"],
    ["a server host name", withServer({ address: "backend1.lab.internal" }), "backends[0].servers[0].address"],
    ["an IPv6 source", withServer({ source: "fd00::20" }), "backends[0].servers[0].source"],
    ["an IPv6 bind", withFrontend((f) => ({ ...f, binds: [{ address: "::", port: 80 }] })), "frontends[0].binds[0].address"],
    ["a bind on every address", withFrontend((f) => ({ ...f, binds: [{ address: "*", port: 80 }] })), "frontends[0].binds[0].address"],
    ["an ACL on a source network", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "lan", criterion: { fetch: "src" }, values: ["10.0.0.0/8", "fd00::/8"] }] })), "frontends[0].acls[1].values[0]"],
  ])("accepts %s", (_label, config, path) => {
    expect(validateHaproxyConfig(config).filter((p) => p.path.startsWith(path))).toEqual([]);
  });
});

describe("durations", () => {
  it.each<Case>([
    ["HAProxy 1.4's bare milliseconds (inter 10000)", withServer({ inter: "10000" }), "backends[0].servers[0].inter", "error", /not a check interval: write a whole number and a unit.*1\.4's bare milliseconds/],
    ["a zero timeout", withDefaults((d) => ({ ...d, timeout: { ...d.timeout, connect: "0s" } })), "defaults[0].timeout.connect", "error", /must be greater than zero/],
    ["a timeout over HAProxy's limit", withDefaults((d) => ({ ...d, timeout: { ...d.timeout, client: "25d" } })), "defaults[0].timeout.client", "error", /longer than HAProxy's limit/],
    ["a fractional duration", withServer({ inter: "1.5s" }), "backends[0].servers[0].inter", "error", /whole number/],
    ["an implausibly short timeout", withDefaults((d) => ({ ...d, timeout: { ...d.timeout, connect: "5ms" } })), "defaults[0].timeout.connect", "warning", /very short.*Did you mean 5s\?/],
    ["1.4's contimeout as a timeout name", withDefaults((d) => ({ ...d, timeout: { ...d.timeout, ...cast<object>({ contimeout: "5s" }) } })), "defaults[0].timeout.contimeout", "error", /not a HAProxy timeout: use one of connect, client, server/],
    ["a bad cookie maxidle", withWeb((b) => ({ ...b, cookie: { name: "SERVERID", mode: "insert", maxidle: cast("30") } })), "backends[0].cookie.maxidle", "error", /not a cookie idle time/],
    ["a bad stats refresh", withFrontend((f) => ({ ...f, stats: { ...f.stats!, refresh: cast("5") } })), "frontends[0].stats.refresh", "error", /not a refresh interval/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));

  it.each(["100ms", "500ms", "1s", "10s", "2m", "1h", "24d"])("accepts timeout connect %s", (value) => {
    const config = withDefaults((d) => ({ ...d, timeout: { ...d.timeout, connect: cast(value) } }));
    expect(validateHaproxyConfig(config).filter((p) => p.path === "defaults[0].timeout.connect")).toEqual([]);
  });
});

describe("cookie persistence", () => {
  it.each<Case>([
    ["a server without a cookie value", withWeb((b) => ({ ...b, servers: [{ ...b.servers[0], cookie: undefined }, b.servers[1]] })), "backends[0].servers[0].cookie", "warning", /server 'backend1' has no cookie value, so its clients will not stick: set cookie \(e\.g\. "A"\)/],
    ["indirect with prefix (the manual advises against it)", withWeb((b) => ({ ...b, cookie: { name: "PHPSESSID", mode: "prefix", indirect: true } })), "backends[0].cookie.indirect", "warning", /manual advises against 'indirect' with 'prefix'.*Drop indirect/],
    ["a cookie value on a backend without persistence", withWeb((b) => ({ ...b, cookie: undefined })), "backends[0].servers[0].cookie", "warning", /no cookie persistence, so it is never used/],
    ["a cookie value with a blank", withServer({ cookie: "A B" }), "backends[0].servers[0].cookie", "error", /not a usable cookie value/],
    ["a cookie name with a blank", withWeb((b) => ({ ...b, cookie: { name: "PHP SESSID", mode: "prefix" } })), "backends[0].cookie.name", "error", /not a valid cookie name/],
    ["a cookie domain that is not a domain", withWeb((b) => ({ ...b, cookie: { name: "SERVERID", mode: "insert", domain: ["exa mple.com"] } })), "backends[0].cookie.domain[0]", "error", /not a cookie domain/],
    ["preserve without maxidle or maxlife", withWeb((b) => ({ ...b, cookie: { name: "SERVERID", mode: "insert", preserve: true } })), "backends[0].cookie.preserve", "warning", /only matters with maxidle or maxlife/],
    ["an unknown cookie mode", withWeb((b) => ({ ...b, cookie: cast({ name: "SERVERID", mode: "append" }) })), "backends[0].cookie.mode", "error", /use one of insert, rewrite, prefix/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));
});

describe("stats page and userlists", () => {
  it.each<Case>([
    ["stats auth without credentials", withFrontend((f) => ({ ...f, stats: { enable: true, uri: "/stats", auth: { kind: "inline", credentials: [] } } })), "frontends[0].stats.auth.credentials", "error", /needs at least one user and password/],
    ["a stats user with a colon", withFrontend((f) => ({ ...f, stats: { enable: true, auth: { kind: "inline", credentials: [{ user: "ad:min", password: "x" }] } } })), "frontends[0].stats.auth.credentials[0].user", "error", /splits user:password at the first ':'/],
    ["an empty stats password", withFrontend((f) => ({ ...f, stats: { enable: true, auth: { kind: "inline", credentials: [{ user: "admin", password: "" }] } } })), "frontends[0].stats.auth.credentials[0].password", "error", /is empty/],
    ["stats on an unknown userlist, with a suggestion", withFrontend((f) => ({ ...f, stats: { enable: true, uri: "/stats", auth: { kind: "userlist", userlist: "stats_user" } } })), "frontends[0].stats.auth.userlist", "error", /userlist 'stats_user' is not declared.*Did you mean 'stats_users'\?/],
    ["a stats page without auth", withFrontend((f) => ({ ...f, stats: { enable: true, uri: "/stats" } })), "frontends[0].stats.auth", "warning", /no authentication: anyone who reaches it can read it/],
    ["clear-text stats auth", seedLabHaproxyConfig({ stats: { user: "admin", password: { insecure: "Venezuela21" } } }), "frontends[0].stats.auth", "warning", /clear text in haproxy\.cfg.*sha512Crypt/],
    ["a realm with a double quote", withFrontend((f) => ({ ...f, stats: { ...f.stats!, realm: 'say "hi"' } })), "frontends[0].stats.realm", "error", /WWW-Authenticate header unescaped/],
    ["a stats uri without a leading slash", withFrontend((f) => ({ ...f, stats: { ...f.stats!, uri: "stats" } })), "frontends[0].stats.uri", "error", /not a URL path: write e\.g\. "\/stats"/],
    ["stats in a TCP frontend", withTcp({ stats: { enable: true, uri: "/stats" } }), "frontends[1].stats", "error", /stats page needs mode http/],
    ["stats admin on an undeclared ACL", withFrontend((f) => ({ ...f, stats: { ...f.stats!, admin: ifAcl("lan") } })), "frontends[0].stats.admin.terms[0].acl", "error", /ACL 'lan' is not declared/],
    ["a userlist password that is not a hash", { ...seed(), userlists: [{ name: "stats_users", users: [{ name: "admin", password: { hashed: "secret" } }] }] }, "userlists[0].users[0].password.hashed", "error", /not a crypt\(3\) hash/],
    ["an insecure userlist password", { ...seed(), userlists: [{ name: "stats_users", users: [{ name: "admin", password: { insecure: "secret" } }] }] }, "userlists[0].users[0].password", "warning", /clear text/],
    ["a user in an undeclared group", { ...seed(), userlists: [{ name: "stats_users", groups: ["admins"], users: [{ name: "admin", password: { hashed: hash }, groups: ["admin"] }] }] }, "userlists[0].users[0].groups[0]", "error", /group 'admin' is not declared.*Did you mean 'admins'\?/],
    ["a userlist without users", { ...seed(), userlists: [...(seed().userlists ?? []), { name: "empty", users: [] }] }, "userlists[1].users", "warning", /lets nobody in/],
    ["an http_auth ACL on an undeclared userlist", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "authed", criterion: { fetch: "http_auth", userlist: "stats_user" }, values: [] }] })), "frontends[0].acls[1].criterion.userlist", "error", /Did you mean 'stats_users'/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));
});

describe("retries and redispatch", () => {
  it.each<Case>([
    ["redispatch with retries 0", withDefaults((d) => ({ ...d, retries: 0 })), "defaults[0].option.redispatch", "warning", /retries is 0, so it never happens/],
    ["redispatch 0, which disables it", withDefaults((d) => ({ ...d, option: { ...d.option, redispatch: { interval: 0 } } })), "defaults[0].option.redispatch.interval", "warning", /disables redispatch/],
    ["retry-on none with other events", withDefaults((d) => ({ ...d, retryOn: ["none", "conn-failure"] })), "defaults[0].retryOn", "error", /'none' cannot be combined/],
    ["retry-on with retries 0", withDefaults((d) => ({ ...d, retries: 0, option: { httplog: true }, retryOn: ["conn-failure"] })), "defaults[0].retryOn", "warning", /does nothing with retries 0/],
    ["an unknown retry-on event", withDefaults((d) => ({ ...d, retryOn: cast(["all-errors"]) })), "defaults[0].retryOn[0]", "error", /use one of none, conn-failure/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));
});

describe("names HAProxy rejects", () => {
  it.each<Case>([
    ["a backend name with a blank", { ...seed(), backends: [{ ...seed().backends[0], name: "servidores web" }, seed().backends[1]] }, "backends[0].name", "error", /not a valid backend name: HAProxy accepts only letters, digits, '-', '_', '\.' and ':'/],
    ["a server name with a slash", withServer({ name: "a/b" }), "backends[0].servers[0].name", "error", /not a valid server name/],
    ["a frontend name with '#'", withFrontend((f) => ({ ...f, name: "front#1" })), "frontends[0].name", "error", /not a valid frontend name/],
    ["an ACL named 'or'", withFrontend((f) => ({ ...f, acls: [{ name: "or", criterion: { fetch: "path_end" }, values: [".gif"] }], useBackends: [{ backend: "servidorestaticos", condition: ifAcl("or") }] })), "frontends[0].acls[0].name", "error", /cannot be named 'or'/],
    ["a userlist name with a blank", { ...seed(), userlists: [{ name: "stats users", users: [{ name: "admin", password: { hashed: hash } }] }] }, "userlists[0].name", "error", /not a valid userlist name/],
    ["a user name with a colon-free but blank name", { ...seed(), userlists: [{ name: "stats_users", users: [{ name: "ad min", password: { hashed: hash } }] }] }, "userlists[0].users[0].name", "error", /not a valid user name/],
    ["a bind name with a blank", withFrontend((f) => ({ ...f, binds: [{ ...f.binds[0], name: "a b" }] })), "frontends[0].binds[0].name", "error", /not a valid bind name/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));
});

describe("no string can add a line or a token", () => {
  it.each<Case>([
    ["a newline in a header value", withFrontend((f) => ({ ...f, httpRequest: [{ action: "set-header", name: "X-A", value: "x\nbackend evil" }] })), "frontends[0].httpRequest[0].value", "error", /contains a newline or another control character, which would end the directive/],
    ["a carriage return in the stats realm", withFrontend((f) => ({ ...f, stats: { ...f.stats!, realm: "a\rb" } })), "frontends[0].stats.realm", "error", /control character/],
    ["a newline in a server name (reported once)", withServer({ name: "backend1\n    server evil 1.2.3.4:80" }), "backends[0].servers[0].name", "error", /control character/],
    ["a tab in an ACL pattern", withFrontend((f) => ({ ...f, acls: [{ name: "url_static", criterion: { fetch: "path_end" }, values: [".gif\t.exe"] }] })), "frontends[0].acls[0].values[0]", "error", /control character/],
    ["a NUL in an errorfile path", withDefaults((d) => ({ ...d, errorfiles: [{ status: 503, file: "/x\u0000y" }] })), "defaults[0].errorfiles[0].file", "error", /control character/],
    ["a line separator in a return body", withFrontend((f) => ({ ...f, httpRequest: [{ action: "return", status: 200, contentType: "text/plain", body: "a\u2028b" }] })), "frontends[0].httpRequest[0].body", "error", /control character/],
    ["an empty ACL pattern", withFrontend((f) => ({ ...f, acls: [{ name: "url_static", criterion: { fetch: "path_end" }, values: [".gif", ""] }] })), "frontends[0].acls[0].values[1]", "error", /is empty: HAProxy drops an empty last word/],
    ["a 2000-character header value", withFrontend((f) => ({ ...f, httpRequest: [{ action: "set-header", name: "X-A", value: "a".repeat(2000) }] })), "frontends[0].httpRequest[0].value", "error", /2000 characters long; the limit is 1024/],
    ["a header name with a blank", withFrontend((f) => ({ ...f, httpRequest: [{ action: "del-header", name: "X A" }] })), "frontends[0].httpRequest[0].name", "error", /not an HTTP header name/],
    ["a parenthesis in hdr()", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "h", criterion: { fetch: "hdr", header: "host) || x(" }, values: ["a"] }] })), "frontends[0].acls[1].criterion.header", "error", /cannot be written inside hdr\(…\)/],
    ["an errorfile path with a blank", withDefaults((d) => ({ ...d, errorfiles: [{ status: 503, file: "/etc/haproxy/my errors/503.http" }] })), "defaults[0].errorfiles[0].file", "error", /not a usable errorfile path: HAProxy must read it as one word/],
    ["a log target with a blank", withGlobal({ log: [{ target: "/dev/log local0", facility: "local0" }] }), "global.log[0].target", "error", /not a log target/],
    ["a relative chroot", withGlobal({ chroot: "var/lib/haproxy" }), "global.chroot", "error", /not a usable chroot directory path.*an absolute path/],
    ["a user name with '#'", withGlobal({ user: "haproxy#x" }), "global.user", "error", /not a system user name/],
    ["a socket mode that is not octal", withGlobal({ statsSockets: [{ path: "/run/a.sock", mode: "rw" }] }), "global.statsSockets[0].mode", "error", /not an octal mode/],
    ["an unknown SSL option", withGlobal({ sslDefaultBindOptions: ["no-sslv3 force-sslv3 #"] }), "global.sslDefaultBindOptions[0]", "error", /not an SSL option/],
    ["a cipher list with a blank", withGlobal({ sslDefaultBindCiphers: "ECDHE-RSA-AES128-GCM-SHA256 HIGH" }), "global.sslDefaultBindCiphers", "error", /not an OpenSSL cipher list/],
    ["an ALPN protocol with a comma", withFrontend((f) => ({ ...f, binds: [{ port: 443, ssl: { crt: "/etc/haproxy/site.pem", alpn: ["h2,http/1.1"] } }] })), "frontends[0].binds[0].ssl.alpn[0]", "error", /not an ALPN protocol/],
    ["a url_param name with a blank", withWeb((b) => ({ ...b, balance: { algorithm: "url_param", param: "user id" } })), "backends[0].balance.param", "error", /not a URL parameter name/],
    ["a redirect scheme with a blank", withFrontend((f) => ({ ...f, httpRequest: [{ action: "redirect", type: "scheme", target: "https if" }] })), "frontends[0].httpRequest[0].target", "error", /not a URL scheme/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));

  it.each<[string, HaproxyConfig, string]>([
    ["a realm with blanks, '#', '$' and a quote", withFrontend((f) => ({ ...f, stats: { ...f.stats!, realm: "Lab #1 $HOME it's" } })), "frontends[0].stats.realm"],
    ["a header value with quotes and a sample", withFrontend((f) => ({ ...f, httpRequest: [{ action: "set-header", name: "X-A", value: 'say "hi" from %[src] at 100%%' }] })), "frontends[0].httpRequest[0].value"],
    ["an ACL pattern with blanks", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "ua", criterion: { fetch: "hdr_sub", header: "user-agent" }, values: ["Mozilla/5.0 (X11"] }] })), "frontends[0].acls[1]"],
  ])("accepts %s (the renderer quotes it)", (_label, config, path) => {
    expect(validateHaproxyConfig(config).filter((p) => p.path.startsWith(path))).toEqual([]);
  });
});

describe("modes, directives and sections", () => {
  it.each<Case>([
    ["http-request rules in a TCP frontend", withTcp({ httpRequest: [{ action: "deny" }] }), "frontends[1].httpRequest", "error", /http-request rules need mode http/],
    ["http-response rules in a TCP backend", withTcp({}, { httpResponse: [{ action: "del-header", name: "Server" }] }), "backends[2].httpResponse", "error", /http-response rules need mode http/],
    ["forwardfor in a TCP backend", withTcp({}, { option: { forwardfor: true } }), "backends[2].option.forwardfor", "error", /needs mode http/],
    ["an HTTP fetch in a TCP frontend", withTcp({ acls: [{ name: "img", criterion: { fetch: "path_end" }, values: [".png"] }] }), "frontends[1].acls[0].criterion.fetch", "warning", /reads HTTP, but this section is in mode tcp/],
    ["balance uri in a TCP backend", withTcp({}, { balance: { algorithm: "uri" } }), "backends[2].balance.algorithm", "error", /reads HTTP and needs mode http/],
    ["httplog and tcplog together", withDefaults((d) => ({ ...d, option: { ...d.option, tcplog: true } })), "defaults[0].option.tcplog", "error", /both set: keep one/],
    ["a frontend without bind", withFrontend((f) => ({ ...f, binds: [] })), "frontends[0].binds", "error", /no bind line: HAProxy would accept no client/],
    ["a backend without servers", withWeb((b) => ({ ...b, servers: [] })), "backends[0].servers", "warning", /no server: every request routed here gets a 503/],
    ["a lone '%' in log-format", withFrontend((f) => ({ ...f, logFormat: "50% of %ci" })), "frontends[0].logFormat", "error", /'%' at position 2 outside a sample expression.*'%%'/],
    ["an unknown fetch in log-format", withFrontend((f) => ({ ...f, logFormat: "%[srcc]" })), "frontends[0].logFormat", "error", /unknown sample fetch 'srcc'.*Did you mean 'src'\?/],
    ["log-format in a backend", withWeb((b) => ({ ...b, logFormat: "%ci" })), "backends[0].logFormat", "error", /ignores log-format in a backend/],
    ["log-format without a log target", { ...seed(), defaults: [{ ...seed().defaults[0], log: undefined }], frontends: [{ ...seed().frontends[0], logFormat: "%ci" }] }, "frontends[0].logFormat", "warning", /ignored without a log target/],
    ["an unknown fetch in a header value", withFrontend((f) => ({ ...f, httpRequest: [{ action: "set-header", name: "X-A", value: "%[foo]" }] })), "frontends[0].httpRequest[0].value", "error", /unknown sample fetch 'foo'/],
    ["a return body without a content type", withFrontend((f) => ({ ...f, httpRequest: [{ action: "return", status: 200, body: "ok" }] })), "frontends[0].httpRequest[0].contentType", "error", /a body needs a content type/],
    ["a content type without a body", withFrontend((f) => ({ ...f, httpRequest: [{ action: "return", status: 200, contentType: "text/plain" }] })), "frontends[0].httpRequest[0].contentType", "warning", /ignored/],
    ["an ACL without patterns", withFrontend((f) => ({ ...f, acls: [{ name: "url_static", criterion: { fetch: "path_end" }, values: [] }] })), "frontends[0].acls[0].values", "error", /no pattern to match, so it never matches/],
    ["an ACL with 51 patterns", withFrontend((f) => ({ ...f, acls: [{ name: "url_static", criterion: { fetch: "path_end" }, values: Array.from({ length: 51 }, (_, i) => `.e${i}`) }] })), "frontends[0].acls[0].values", "error", /do not fit on one HAProxy line.*at most 50/],
    ["an invalid regular expression", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "r", criterion: { fetch: "path_reg" }, values: ["^(abc"] }] })), "frontends[0].acls[1].values[0]", "error", /not a valid regular expression/],
    ["a non-integer with -m int", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "few", criterion: { fetch: "nbsrv", backend: "servidores" }, values: ["lt", "one"] }] })), "frontends[0].acls[1].values[1]", "error", /not an integer pattern/],
    ["an nbsrv ACL on an unknown backend", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "few", criterion: { fetch: "nbsrv", backend: "servidore" }, values: ["lt", "1"] }] })), "frontends[0].acls[1].criterion.backend", "error", /Did you mean 'servidores'/],
    ["http-check expect without option httpchk", withWeb((b) => ({ ...b, httpCheckExpect: { match: "status", value: "200" } })), "backends[0].httpCheckExpect", "warning", /does nothing without option httpchk/],
    ["option httpchk on servers without check", withWeb((b) => ({ ...b, option: { httpchk: { uri: "/" } }, servers: b.servers.map((s) => ({ ...s, check: undefined, inter: undefined })) })), "backends[0].option.httpchk", "warning", /does nothing unless servers have check/],
    ["an HTTP/1.1 check without Host", withWeb((b) => ({ ...b, option: { httpchk: { uri: "/", version: "HTTP/1.1" } } })), "backends[0].option.httpchk.host", "warning", /get 400/],
    ["a bad expected status", withWeb((b) => ({ ...b, option: { httpchk: { uri: "/" } }, httpCheckExpect: { match: "status", value: "2xx" } })), "backends[0].httpCheckExpect.value", "error", /not a status list/],
    ["no timeout client for a frontend", { ...seed(), defaults: [{ ...seed().defaults[0], timeout: { connect: "5s", server: "50s" } }] }, "frontends[0].timeout.client", "warning", /no timeout client/],
    ["no timeout server for a backend", { ...seed(), defaults: [{ ...seed().defaults[0], timeout: { connect: "5s", client: "50s" } }] }, "backends[0].timeout.server", "warning", /no timeout server/],
    ["a log minLevel without level", withGlobal({ log: [{ target: "/dev/log", facility: "local0", minLevel: "err" }] }), "global.log[0].minLevel", "error", /minLevel needs level/],
    ["an unknown balance algorithm", withWeb((b) => ({ ...b, balance: cast({ algorithm: "weighted" }) })), "backends[0].balance.algorithm", "error", /use one of roundrobin, static-rr/],
    ["an unknown mode", withDefaults((d) => ({ ...d, mode: cast("https") })), "defaults[0].mode", "error", /use one of http, tcp/],
    ["1.4's forceclose as a connection mode", withWeb((b) => ({ ...b, connectionMode: cast("forceclose") })), "backends[0].connectionMode", "error", /use one of httpclose, http-server-close, http-keep-alive/],
    ["check intervals with check off", withServer({ check: false }), "backends[0].servers[0].check", "warning", /check intervals are set but check is false/],
    ["a frontend that keeps clients open in front of an httpclose backend", withFrontend((f) => ({ ...f, connectionMode: undefined })), "frontends[0].connectionMode", "warning", /routes to 'servidorestaticos', 'servidores' with httpclose.*set connectionMode "httpclose" here too/],
    ["a TCP proxy inheriting HTTP-only options from defaults", (() => { const c = withTcp({}); return { ...c, defaults: [{ ...c.defaults[0], option: { ...c.defaults[0].option, forwardfor: true, "http-buffer-request": true } }] }; })(), "backends[2].mode", "warning", /inherits option\.forwardfor, option\.http-buffer-request from defaults, which HAProxy ignores here/],
    ["a TCP frontend inheriting idle-close-on-response from defaults", (() => { const c = withTcp({}); return { ...c, defaults: [{ ...c.defaults[0], option: { ...c.defaults[0].option, "idle-close-on-response": true } }] }; })(), "frontends[1].mode", "warning", /inherits option\.httplog, option\.idle-close-on-response from defaults/],
    ["a request header in log-format (gone by log time)", withFrontend((f) => ({ ...f, logFormat: "%ci %[req.hdr(host)]" })), "frontends[0].logFormat", "error", /in log-format \(only captured headers are kept/],
    ["the server's name in a frontend's http-request rule", withFrontend((f) => ({ ...f, httpRequest: [{ action: "set-header", name: "X-Srv", value: "%[srv_name]" }] })), "frontends[0].httpRequest[0].value", "error", /no backend or server is chosen yet/],
    ["a request path in an http-response rule", withFrontend((f) => ({ ...f, httpResponse: [{ action: "set-header", name: "X-Path", value: "%[path]" }] })), "frontends[0].httpResponse[0].value", "error", /the request is gone/],
    ["a body on a 204 response", withFrontend((f) => ({ ...f, httpRequest: [{ action: "return", status: 204, contentType: "text/plain", body: "x" }] })), "frontends[0].httpRequest[0].body", "error", /a 204 response has no body/],
    ["a rule after an unconditional deny", withFrontend((f) => ({ ...f, httpRequest: [{ action: "deny" }, { action: "del-header", name: "X-A" }] })), "frontends[0].httpRequest[1]", "warning", /never runs: httpRequest\[0\] \(deny\) has no condition/],
    ["a request ACL in an http-response condition", withFrontend((f) => ({ ...f, httpResponse: [{ action: "del-header", name: "Server", condition: ifAcl("url_static") }] })), "frontends[0].httpResponse[0].condition.terms[0].acl", "warning", /reads the request \(path_end\).*never matches/],
    ["servers that are not a list", withWeb((b) => ({ ...b, servers: cast("backend1") })), "backends[0].servers", "error", /not a list/],
  ])("reports %s", (_label, config, path, severity, message) => expectProblem(config, path, severity, message));
});

describe("validateHaproxyConfig as a whole", () => {
  it("reports every problem at once", () => {
    const config = withServer({ weight: 999, port: 0, inter: "x", name: "a b" });
    const paths = validateHaproxyConfig(config).filter((p) => p.severity === "error").map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["backends[0].servers[0].weight", "backends[0].servers[0].port", "backends[0].servers[0].inter", "backends[0].servers[0].name"]));
  });

  it("says what is wrong and how to fix it in every message", () => {
    const config = withFrontend((f) => ({ ...f, defaultBackend: "servidore", binds: [{ port: 0 }] }));
    for (const problem of validateHaproxyConfig(config)) {
      expect(problem.message, problem.path).toMatch(/[:.?] .*[A-Za-z]/);
      expect(problem.message.length, problem.path).toBeGreaterThan(30);
    }
  });

  it("does not crash on a model from untyped JSON", () => {
    const junk = cast<HaproxyConfig>({ global: {}, defaults: "x", frontends: [{ name: 1, binds: [{}] }], backends: [{ name: "b", servers: [{}] }] });
    const problems = validateHaproxyConfig(junk);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(["defaults", "frontends[0].name", "frontends[0].binds[0].port", "backends[0].servers[0].name"]));
  });
});
