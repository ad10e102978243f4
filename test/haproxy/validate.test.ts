import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  renderHaproxyConfig,
  renderUnchecked,
  seedLabHaproxyConfig,
  sha512Crypt,
  splitWords,
  validateHaproxyConfig,
  type BackendSection,
  type ConfigProblem,
  type FrontendSection,
  type HaproxyConfig,
} from "../../components/haproxy";
import { haproxyCheck } from "../helpers/haproxy";

const stats = { user: "admin", password: { hashed: sha512Crypt("secret", "saltsalt") } };
const seed = (): HaproxyConfig => seedLabHaproxyConfig({ stats });

function withFrontend(change: (f: FrontendSection) => FrontendSection): HaproxyConfig {
  const base = seed();
  return { ...base, frontends: [change(base.frontends[0])] };
}
function withWebBackend(change: (b: BackendSection) => BackendSection): HaproxyConfig {
  const base = seed();
  return { ...base, backends: [change(base.backends[0]), base.backends[1]] };
}
const server0 = (b: BackendSection, change: object): BackendSection => ({ ...b, servers: [{ ...b.servers[0], ...change }, ...b.servers.slice(1)] });

function find(problems: ConfigProblem[], path: string): ConfigProblem | undefined {
  return problems.find((p) => p.path === path);
}

describe("validateHaproxyConfig", () => {
  it("finds nothing wrong with the seed preset (hashed password)", () => {
    expect(validateHaproxyConfig(seed()).filter((p) => p.severity === "error")).toEqual([]);
  });

  it.each<[string, HaproxyConfig, string, "error" | "warning", RegExp]>([
    ["the seed's typo in use_backend, with a suggestion", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestatico", condition: { op: "if", terms: [{ acl: "url_static" }] } }] })), "frontends[0].useBackends[0].backend", "error", /'servidorestatico' does not exist\. Did you mean 'servidorestaticos'\?/],
    ["an unknown default_backend", withFrontend((f) => ({ ...f, defaultBackend: "servidore" })), "frontends[0].defaultBackend", "error", /Did you mean 'servidores'/],
    ["a condition on an undeclared ACL", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestaticos", condition: { op: "if", terms: [{ acl: "url_statik" }] } }] })), "frontends[0].useBackends[0].condition.terms[0].acl", "error", /not declared.*Did you mean 'url_static'/],
    ["an 'or' on the first term", withFrontend((f) => ({ ...f, useBackends: [{ backend: "servidorestaticos", condition: { op: "if", terms: [{ acl: "url_static", join: "or" }] } }] })), "frontends[0].useBackends[0].condition.terms[0].join", "error", /cannot start with 'or'/],
    ["a duplicate ACL", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "url_static", criterion: { fetch: "path_beg" }, values: ["/img"] }] })), "frontends[0].acls[1].name", "error", /declared twice/],
    ["a duplicate ACL value (the seed's .png .png)", withFrontend((f) => ({ ...f, acls: [{ name: "url_static", criterion: { fetch: "path_end" }, values: [".gif", ".png", ".png"] }] })), "frontends[0].acls[0].values[2]", "warning", /remove it/],
    ["a duplicate server name", withWebBackend((b) => ({ ...b, servers: [b.servers[0], { ...b.servers[1], name: "backend1", cookie: "B" }] })), "backends[0].servers[1].name", "error", /declared twice/],
    ["a duplicate backend name", { ...seed(), backends: [seed().backends[0], { ...seed().backends[1], name: "servidores" }] }, "backends[1].name", "error", /already the name of backends\[0\]/],
    ["a weight above 256", withWebBackend((b) => server0(b, { weight: 300 })), "backends[0].servers[0].weight", "error", /0 to 256/],
    ["a negative weight", withWebBackend((b) => server0(b, { weight: -1 })), "backends[0].servers[0].weight", "error", /0 to 256/],
    ["port 0", withWebBackend((b) => server0(b, { port: 0 })), "backends[0].servers[0].port", "error", /1 to 65535/],
    ["port 70000 on a bind", withFrontend((f) => ({ ...f, binds: [{ address: "192.168.1.20", port: 70000 }] })), "frontends[0].binds[0].port", "error", /1 to 65535/],
    ["an address with a port inside", withWebBackend((b) => server0(b, { address: "192.168.1.21:80" })), "backends[0].servers[0].address", "error", /port in 'port'/],
    ["a bind address that is not an IP", withFrontend((f) => ({ ...f, binds: [{ address: "localhost", port: 80 }] })), "frontends[0].binds[0].address", "error", /not an IP address/],
    ["a source that is not an IP", withWebBackend((b) => server0(b, { source: "frontend" })), "backends[0].servers[0].source", "error", /not an IP address/],
    ["a 1.4-style duration in ms without unit", withWebBackend((b) => server0(b, { inter: "10000" })), "backends[0].servers[0].inter", "error", /unit/],
    ["a zero timeout", { ...seed(), defaults: [{ ...seed().defaults[0], timeout: { connect: "0s" } }] }, "defaults[0].timeout.connect", "error", /greater than zero/],
    ["cookie persistence with a server lacking a cookie value", withWebBackend((b) => ({ ...b, servers: [{ ...b.servers[0], cookie: undefined }, b.servers[1]] })), "backends[0].servers[0].cookie", "warning", /will not stick/],
    ["two servers with the same cookie", withWebBackend((b) => ({ ...b, servers: [b.servers[0], { ...b.servers[1], cookie: "A" }] })), "backends[0].servers[1].cookie", "error", /also used by servers\[0\]/],
    ["indirect with prefix", withWebBackend((b) => ({ ...b, cookie: { name: "PHPSESSID", mode: "prefix", indirect: true } })), "backends[0].cookie.indirect", "warning", /advises against/],
    ["stats auth without credentials", withFrontend((f) => ({ ...f, stats: { enable: true, uri: "/stats", auth: { kind: "inline", credentials: [] } } })), "frontends[0].stats.auth.credentials", "error", /at least one user/],
    ["stats without any auth", withFrontend((f) => ({ ...f, stats: { enable: true, uri: "/stats" } })), "frontends[0].stats.auth", "warning", /anyone/],
    ["stats on an unknown userlist", withFrontend((f) => ({ ...f, stats: { enable: true, uri: "/stats", auth: { kind: "userlist", userlist: "stats_user" } } })), "frontends[0].stats.auth.userlist", "error", /Did you mean 'stats_users'/],
    ["a stats user with a colon", withFrontend((f) => ({ ...f, stats: { enable: true, auth: { kind: "inline", credentials: [{ user: "ad:min", password: "x" }] } } })), "frontends[0].stats.auth.credentials[0].user", "error", /without ':'/],
    ["a userlist password that is not a hash", { ...seed(), userlists: [{ name: "stats_users", users: [{ name: "admin", password: { hashed: "secret" } }] }] }, "userlists[0].users[0].password.hashed", "error", /crypt\(3\) hash/],
    ["a backend name with a space", { ...seed(), backends: [{ ...seed().backends[0], name: "servidores web" }, seed().backends[1]] }, "backends[0].name", "error", /letters, digits/],
    ["a server name with a slash", withWebBackend((b) => server0(b, { name: "a/b" })), "backends[0].servers[0].name", "error", /letters, digits/],
    ["a newline in a header value", withFrontend((f) => ({ ...f, httpRequest: [{ action: "set-header", name: "X-A", value: "x\nbackend evil" }] })), "frontends[0].httpRequest[0].value", "error", /newline/],
    ["a carriage return in a stats realm", withFrontend((f) => ({ ...f, stats: { ...f.stats!, realm: "a\rb" } })), "frontends[0].stats.realm", "error", /control character/],
    ["a header name with a blank", withFrontend((f) => ({ ...f, httpRequest: [{ action: "del-header", name: "X A" }] })), "frontends[0].httpRequest[0].name", "error", /header name/],
    ["a parenthesis in hdr()", withFrontend((f) => ({ ...f, acls: [...(f.acls ?? []), { name: "h", criterion: { fetch: "hdr", header: "host) || x(" }, values: ["a"] }] })), "frontends[0].acls[1].criterion.header", "error", /inside hdr/],
    ["a frontend without bind", withFrontend((f) => ({ ...f, binds: [] })), "frontends[0].binds", "error", /no bind/],
    ["a backend without servers", withWebBackend((b) => ({ ...b, servers: [] })), "backends[0].servers", "warning", /503/],
    ["redispatch with retries 0", { ...seed(), defaults: [{ ...seed().defaults[0], retries: 0 }] }, "defaults[0].option.redispatch", "warning", /retries/],
    ["http rules in mode tcp", withFrontend((f) => ({ ...f, mode: "tcp", httpRequest: [{ action: "deny" }] })), "frontends[0].mode", "error", /mode http/],
    ["a return status of 1000", withFrontend((f) => ({ ...f, httpRequest: [{ action: "return", status: 1000 }] })), "frontends[0].httpRequest[0].status", "error", /200 to 599/],
    ["nbthread 0", { ...seed(), global: { ...seed().global, nbthread: 0 } }, "global.nbthread", "error", /1 to 4096/],
  ])("reports %s", (_label, config, path, severity, message) => {
    const problems = validateHaproxyConfig(config);
    const found = find(problems, path);
    expect(found, JSON.stringify(problems, null, 1)).toBeDefined();
    expect(found!.severity).toBe(severity);
    expect(found!.message).toMatch(message);
  });

  it("reports every problem at once", () => {
    const config = withWebBackend((b) => ({ ...b, servers: [{ ...b.servers[0], weight: 999, port: 0, inter: "x" as never }, b.servers[1]] }));
    const paths = validateHaproxyConfig(config).filter((p) => p.severity === "error").map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["backends[0].servers[0].weight", "backends[0].servers[0].port", "backends[0].servers[0].inter"]));
  });
});

/** Every string-valued path of a model, e.g. ["frontends", 0, "name"]. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, [...path, index]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  return [];
}

function setAt(value: unknown, path: (string | number)[], replacement: string): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? setAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: setAt(record[head as string], rest, replacement) };
}

/** The directive structure of a rendered config: per line, the keyword and the number of words. */
function structure(text: string): string[] {
  return text.split("\n").map((line) => {
    const words = splitWords(line);
    return words ? `${words[0] ?? ""}/${words.length}` : "UNBALANCED";
  });
}

describe("no string can inject configuration", () => {
  const base = seedLabHaproxyConfig({ stats, profile: "tuned", healthCheck: { path: "/index.html" } });
  const baseWithRules: HaproxyConfig = {
    ...base,
    frontends: [{ ...base.frontends[0], httpRequest: [{ action: "set-header", name: "X-Lab", value: "v" }, { action: "return", status: 200, contentType: "text/plain", body: "ok", condition: { op: "if", terms: [{ acl: "url_static" }] } }] }],
  };
  const paths = stringPaths(baseWithRules).filter((p) => p[p.length - 1] !== "op" && p[p.length - 1] !== "action");
  const expected = structure(renderHaproxyConfig(baseWithRules));

  it("for any string in any string field, validation fails or the directives are exactly the intended ones", () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom("\n", "\r", " ", "\t", "#", "'", '"', "\\", "$", "{", "}", "!", "|", "a", "x", "if", ":") , maxLength: 12 }),
      fc.constantFrom("x\nbackend evil", "a # comment", "' '", '" "', "\\", "$HOME", "a b", "", "\u2028"),
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths), hostile, (path, value) => {
        const config = setAt(baseWithRules, path, value) as HaproxyConfig;
        const errors = validateHaproxyConfig(config).filter((p) => p.severity === "error");
        if (errors.length > 0) return true;
        const text = renderUnchecked(config);
        expect(structure(text), `${path.join(".")} = ${JSON.stringify(value)}`).toEqual(expected);
        return true;
      }),
      { numRuns: 1500 },
    );
  });
});

describe("generated models", () => {
  const serverArb = (index: number) =>
    fc.record({
      weight: fc.integer({ min: 0, max: 256 }),
      port: fc.integer({ min: 1, max: 65535 }),
      inter: fc.constantFrom("500ms", "1s", "10s", "2m"),
      rise: fc.integer({ min: 1, max: 5 }),
      fall: fc.integer({ min: 1, max: 5 }),
      backup: fc.boolean(),
    }).map((s) => ({ name: `srv${index}`, address: `10.1.0.${index + 10}`, cookie: `C${index}`, check: true, ...s }));
  const modelArb = fc.record({
    cookie: fc.constantFrom<BackendSection["cookie"]>({ name: "PHPSESSID", mode: "prefix" }, { name: "SERVERID", mode: "insert", indirect: true, nocache: true, maxidle: "30m" }, { name: "SRV", mode: "rewrite" }, undefined),
    balance: fc.constantFrom<BackendSection["balance"]>({ algorithm: "roundrobin" }, { algorithm: "leastconn" }, { algorithm: "uri", depth: 2 }, { algorithm: "url_param", param: "user" }, { algorithm: "hdr", header: "host", useDomainOnly: true }, { algorithm: "random", draws: 2 }, { algorithm: "rdp-cookie" }, { algorithm: "first" }),
    connectionMode: fc.constantFrom("httpclose" as const, "http-server-close" as const, "http-keep-alive" as const),
    serverCount: fc.integer({ min: 1, max: 4 }),
    extensions: fc.uniqueArray(fc.constantFrom(".gif", ".png", ".jpg", ".css", ".js"), { minLength: 1 }),
    negate: fc.boolean(),
    or: fc.boolean(),
    headerValue: fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029%]/.test(s)),
  }).chain((m) => fc.tuple(fc.constant(m), fc.tuple(...Array.from({ length: m.serverCount }, (_, i) => serverArb(i)))));

  it("every generated model that validates is accepted by the real haproxy -c", async () => {
    const samples = fc.sample(modelArb, { numRuns: 30, seed: 51 });
    for (const [m, servers] of samples) {
      const base = seed();
      const config: HaproxyConfig = {
        ...base,
        frontends: [{
          ...base.frontends[0],
          acls: [
            { name: "url_static", criterion: { fetch: "path_end" }, ignoreCase: true, values: m.extensions },
            { name: "is_api", criterion: { fetch: "path_beg" }, values: ["/api"] },
            { name: "host_lab", criterion: { fetch: "hdr_end", header: "host" }, ignoreCase: true, values: [".lab.example"] },
          ],
          httpRequest: [{ action: "set-header", name: "X-Lab", value: m.headerValue }, { action: "deny", denyStatus: 403, condition: { op: "if", terms: [{ acl: "is_api" }, { acl: "host_lab", negate: true }] } }],
          httpResponse: [{ action: "set-header", name: "X-Frame-Options", value: "DENY" }],
          useBackends: [{ backend: "servidorestaticos", condition: { op: m.negate ? "unless" : "if", terms: [{ acl: "url_static" }, ...(m.or ? [{ acl: "host_lab", join: "or" as const }] : [])] } }],
        }],
        backends: [{ name: "servidores", balance: m.balance, connectionMode: m.connectionMode, option: { forwardfor: { except: "127.0.0.0/8", header: "X-Client-IP" } }, ...(m.cookie ? { cookie: m.cookie } : {}), servers }, base.backends[1]],
      };
      expect(validateHaproxyConfig(config).filter((p) => p.severity === "error")).toEqual([]);
      const result = await haproxyCheck(renderHaproxyConfig(config));
      expect(result.ok, `${result.output}\n${renderHaproxyConfig(config)}`).toBe(true);
    }
  }, 60_000);
});
