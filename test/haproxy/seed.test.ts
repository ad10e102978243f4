import { describe, expect, it } from "vitest";
import {
  seedLabHaproxyConfig,
  SEED_ADDRESSES,
  SEED_FRONTEND_ADDRESS,
  SEED_STATIC_SERVERS,
  SEED_STATS_PASSWORD,
  SEED_STATS_SALT,
  SEED_WEB_SERVERS,
  sha512Crypt,
  TUNED,
  validateHaproxyConfig,
  type HaproxyConfig,
} from "../../components/haproxy";

const web = (config: HaproxyConfig) => config.backends[0];
const statics = (config: HaproxyConfig) => config.backends[1];

describe("seedLabHaproxyConfig: the tutorial's lab by default", () => {
  const config = seedLabHaproxyConfig();

  it("exports the seed's addresses for others to reuse", () => {
    expect(SEED_ADDRESSES).toEqual({ haproxy: "192.168.1.20", backend1: "192.168.1.21", backend2: "192.168.1.22", backend3: "192.168.1.23" });
    expect(SEED_FRONTEND_ADDRESS).toBe(SEED_ADDRESSES.haproxy);
    expect(SEED_WEB_SERVERS.map((s) => [s.name, s.address, s.weight, s.cookie])).toEqual([["backend1", "192.168.1.21", 60, "A"], ["backend2", "192.168.1.22", 45, "B"]]);
    expect(SEED_STATIC_SERVERS).toEqual([{ name: "static", address: "192.168.1.23", weight: 50 }]);
  });

  it("has the seed's global section in modern form", () => {
    expect(config.global).toEqual({
      log: [{ target: "/dev/log", facility: "local0" }, { target: "/dev/log", facility: "local1", level: "notice" }],
      maxconn: 4096,
      chroot: "/var/lib/haproxy",
      user: "haproxy",
      group: "haproxy",
      daemon: true,
      statsSockets: [{ path: "/run/haproxy/admin.sock", mode: "660", level: "admin", exposeFdListeners: true }],
    });
  });

  it("has the seed's defaults with timeouts instead of contimeout/clitimeout/srvtimeout and Debian's errorfiles", () => {
    const defaults = config.defaults[0];
    expect(defaults).toMatchObject({ mode: "http", log: "global", retries: 3, maxconn: 2000, option: { httplog: true, dontlognull: true, redispatch: true } });
    expect(defaults.timeout).toEqual({ connect: "5s", client: "50s", server: "50s" });
    expect(defaults.errorfiles?.map((e) => e.file)).toEqual([400, 403, 408, 500, 502, 503, 504].map((s) => `/etc/haproxy/errors/${s}.http`));
  });

  it("balances servidores roundrobin at 60/45 with PHPSESSID prefix cookies A/B, forwardfor, httpclose and 10 s checks from the frontend's address", () => {
    expect(web(config)).toMatchObject({ name: "servidores", balance: { algorithm: "roundrobin" }, cookie: { name: "PHPSESSID", mode: "prefix" }, connectionMode: "httpclose", option: { forwardfor: true } });
    expect(web(config).servers).toEqual([
      { name: "backend1", address: "192.168.1.21", port: 80, weight: 60, cookie: "A", check: true, inter: "10s", source: "192.168.1.20" },
      { name: "backend2", address: "192.168.1.22", port: 80, weight: 45, cookie: "B", check: true, inter: "10s", source: "192.168.1.20" },
    ]);
  });

  it("sends .gif and .png to servidorestaticos (the backend the seed declares) and the rest to servidores", () => {
    const frontend = config.frontends[0];
    expect(frontend.binds).toEqual([{ address: "192.168.1.20", port: 80 }]);
    expect(frontend.acls).toEqual([{ name: "url_static", criterion: { fetch: "path_end" }, values: [".gif", ".png"] }]);
    expect(frontend.useBackends).toEqual([{ backend: "servidorestaticos", condition: { op: "if", terms: [{ acl: "url_static" }] } }]);
    expect(frontend.defaultBackend).toBe("servidores");
    expect(statics(config).servers).toEqual([{ name: "static", address: "192.168.1.23", port: 80, weight: 50, check: true, inter: "10s", source: "192.168.1.20" }]);
  });

  it("protects /stats with the tutorial's credentials, hashed into a userlist", () => {
    expect(config.frontends[0].stats).toEqual({ enable: true, uri: "/stats", realm: "HAProxy Statistics", auth: { kind: "userlist", userlist: "stats_users" } });
    expect(config.userlists).toEqual([{ name: "stats_users", users: [{ name: "admin", password: { hashed: sha512Crypt(SEED_STATS_PASSWORD, SEED_STATS_SALT) } }] }]);
  });
});

describe("seedLabHaproxyConfig options", () => {
  it("moves the lab to other addresses and ports, source following the frontend", () => {
    const config = seedLabHaproxyConfig({
      frontendAddress: "10.0.7.20",
      port: 8080,
      webServers: [{ name: "w1", address: "10.0.7.21", weight: 10 }, { name: "w2", address: "10.0.7.22", weight: 20, cookie: "W2" }, { name: "w3", address: "10.0.7.23", port: 8081 }],
      staticServers: [{ name: "img", address: "10.0.7.24" }],
    });
    expect(config.frontends[0].binds).toEqual([{ address: "10.0.7.20", port: 8080 }]);
    expect(web(config).servers.map((s) => [s.name, s.address, s.port, s.weight, s.cookie, s.source])).toEqual([
      ["w1", "10.0.7.21", 8080, 10, "A", "10.0.7.20"],
      ["w2", "10.0.7.22", 8080, 20, "W2", "10.0.7.20"],
      ["w3", "10.0.7.23", 8081, undefined, "C", "10.0.7.20"],
    ]);
    expect(statics(config).servers[0]).toMatchObject({ name: "img", address: "10.0.7.24", port: 8080 });
  });

  it("writes the tutorial's clear-text stats auth only for an insecure password, with its own uri and realm", () => {
    const config = seedLabHaproxyConfig({ stats: { user: "profe", password: { insecure: "s3cret" }, uri: "/haproxy?stats", realm: "Lab" } });
    expect(config.frontends[0].stats).toEqual({ enable: true, uri: "/haproxy?stats", realm: "Lab", auth: { kind: "inline", credentials: [{ user: "profe", password: "s3cret" }] } });
    expect(config.userlists).toEqual([]);
  });

  it.each([
    ["httpclose", "httpclose", undefined, "httpclose"],
    ["http-server-close (the exercise: timeout http-keep-alive 3s)", "http-server-close", "3s", undefined],
    ["http-keep-alive", "http-keep-alive", "3s", undefined],
  ] as const)("keep-alive mode %s", (_label, keepAlive, timeout, frontendMode) => {
    const config = seedLabHaproxyConfig({ keepAlive });
    expect(web(config).connectionMode).toBe(keepAlive);
    expect(statics(config).connectionMode).toBe(keepAlive);
    expect(config.defaults[0].timeout?.["http-keep-alive"]).toBe(timeout);
    expect(config.frontends[0].connectionMode).toBe(frontendMode);
  });

  it("takes an explicit keep-alive timeout", () => {
    expect(seedLabHaproxyConfig({ keepAlive: "http-server-close", keepAliveTimeout: "10s" }).defaults[0].timeout?.["http-keep-alive"]).toBe("10s");
  });

  it.each([
    ["prefix", { name: "PHPSESSID", mode: "prefix" }, ["A", "B"]],
    ["insert", { name: "SERVERID", mode: "insert", indirect: true, nocache: true }, ["A", "B"]],
    ["none", undefined, [undefined, undefined]],
  ] as const)("cookie mode %s", (cookieMode, cookie, values) => {
    const config = seedLabHaproxyConfig({ cookieMode });
    expect(web(config).cookie).toEqual(cookie);
    expect(web(config).servers.map((s) => s.cookie)).toEqual(values);
    expect(statics(config).cookie).toBeUndefined();
  });

  it("routes the static extensions asked for, once each", () => {
    expect(seedLabHaproxyConfig({ staticExtensions: [".gif", ".png", ".png", ".jpg"] }).frontends[0].acls?.[0].values).toEqual([".gif", ".png", ".jpg"]);
  });

  it.each(["roundrobin", "static-rr", "leastconn", "first", "source", "random"] as const)("balances with %s", (balance) => {
    const config = seedLabHaproxyConfig({ balance });
    expect(web(config).balance).toEqual({ algorithm: balance });
    expect(statics(config).balance).toEqual({ algorithm: balance });
  });

  it("adds option httpchk with the 2.2+ send line when a check path is given", () => {
    const config = seedLabHaproxyConfig({ healthCheck: { path: "/index.html", inter: "5s", rise: 3, fall: 4 } });
    expect(web(config).option?.httpchk).toEqual({ method: "HEAD", uri: "/index.html", version: "HTTP/1.1", host: "localhost" });
    expect(web(config).servers[0]).toMatchObject({ check: true, inter: "5s", rise: 3, fall: 4 });
  });

  it("sets the global maxconn", () => {
    expect(seedLabHaproxyConfig({ maxconn: 20000 }).global.maxconn).toBe(20000);
  });
});

describe("the tuned profile (FIELD-NOTES' measured settings)", () => {
  const config = seedLabHaproxyConfig({ profile: "tuned" });
  const defaults = config.defaults[0];

  it("keeps connections alive and reuses server connections safely", () => {
    expect(web(config).connectionMode).toBe("http-keep-alive");
    expect(config.frontends[0].connectionMode).toBeUndefined();
    expect(defaults.httpReuse).toBe("safe");
  });

  it("redispatches on the first retry and retries every retryable error", () => {
    expect(defaults.option?.redispatch).toEqual({ interval: 1 });
    expect(defaults.retryOn).toEqual(["all-retryable-errors"]);
    expect(defaults.retries).toBe(3);
  });

  it("checks every server each second, down after 2 failures, up after 2 successes, in one default-server line", () => {
    expect(defaults.defaultServer).toEqual({ check: true, inter: "1s", rise: 2, fall: 2 });
    expect(web(config).servers[0]).toEqual({ name: "backend1", address: "192.168.1.21", port: 80, weight: 60, cookie: "A", source: "192.168.1.20" });
  });

  it("bounds slow requests, idle keep-alive and queueing", () => {
    expect(defaults.timeout).toEqual({ connect: "5s", client: "50s", server: "50s", "http-request": "10s", "http-keep-alive": "30s", queue: "30s" });
    expect(TUNED.timeouts).toEqual({ "http-request": "10s", "http-keep-alive": "30s", queue: "30s" });
  });

  it("lets explicit options win over the profile", () => {
    const custom = seedLabHaproxyConfig({ profile: "tuned", keepAlive: "httpclose", keepAliveTimeout: "5s", healthCheck: { inter: "3s", fall: 5 } });
    expect(web(custom).connectionMode).toBe("httpclose");
    expect(custom.frontends[0].connectionMode).toBe("httpclose");
    expect(custom.defaults[0].timeout?.["http-keep-alive"]).toBe("5s");
    expect(custom.defaults[0].defaultServer).toEqual({ check: true, inter: "3s", rise: 2, fall: 5 });
  });

  it("is a valid model without a single warning", () => {
    expect(validateHaproxyConfig(seedLabHaproxyConfig({ profile: "tuned", healthCheck: { path: "/index.html" } }))).toEqual([]);
  });
});
