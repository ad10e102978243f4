import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_LAB_SETTINGS, PROFILE_DEFAULTS, planLabTopology, resolveLabSettings, labUrls, parseCidr, cidrContains } from "../../components/lab";
import type { LabSettingsInput } from "../../components/lab";

describe("lab settings", () => {
  it("defaults reproduce the seed's hosts, weights and static extensions with the tuned profile", () => {
    const { settings, problems } = resolveLabSettings({});
    expect(problems).toEqual([]);
    expect(settings).toEqual(DEFAULT_LAB_SETTINGS);
    expect(settings?.webServers).toEqual([
      { name: "backend1", weight: 60 },
      { name: "backend2", weight: 45 },
    ]);
    expect(settings?.keepAlive).toBe("http-keep-alive");
  });

  it("the seed profile brings back httpclose and 10 s checks, and explicit settings still win", () => {
    expect(resolveLabSettings({ profile: "seed" }).settings).toMatchObject({ keepAlive: "httpclose", healthCheck: PROFILE_DEFAULTS.seed.healthCheck });
    const { settings } = resolveLabSettings({ profile: "seed", keepAlive: "http-server-close", healthCheck: { inter: "2s" } });
    expect(settings?.keepAlive).toBe("http-server-close");
    expect(settings?.healthCheck).toEqual({ ...PROFILE_DEFAULTS.seed.healthCheck, inter: "2s" });
  });

  it.each<[string, LabSettingsInput]>([
    ["three web backends", { webServers: [{ name: "backend1", weight: 60 }, { name: "backend2", weight: 45 }, { name: "backend4", weight: 10 }] }],
    ["another subnet", { subnetCidr: "10.0.7.0/24" }],
    ["a /27 that still fits four hosts from .20", { subnetCidr: "10.0.7.0/27" }],
    ["insert cookies and no persistence", { cookieMode: "insert" }],
    ["leastconn", { balance: "leastconn" }],
    ["zero weight on one server", { webServers: [{ name: "backend1", weight: 0 }, { name: "backend2", weight: 1 }] }],
  ])("accepts %s", (_label, input) => {
    expect(resolveLabSettings(input).problems).toEqual([]);
  });

  it.each<[string, LabSettingsInput, string, RegExp]>([
    ["a weight above 256", { webServers: [{ name: "backend1", weight: 300 }] }, "webServers[0].weight", /0 to 256/],
    ["a fractional weight", { webServers: [{ name: "backend1", weight: 1.5 }] }, "webServers[0].weight", /integer/],
    ["all weights zero", { webServers: [{ name: "backend1", weight: 0 }] }, "webServers", /at least one/],
    ["no web server", { webServers: [] }, "webServers", /between 1 and/],
    ["a host name with a space", { webServers: [{ name: "back end", weight: 1 }] }, "webServers[0].name", /host name/],
    ["a duplicate host name", { staticServers: [{ name: "backend1", weight: 1 }] }, "staticServers[0].name", /already used by webServers\[0\]/],
    ["the frontend's name on a backend", { webServers: [{ name: "haproxy", weight: 1 }] }, "webServers[0].name", /the frontend/],
    ["a subnet that is not a CIDR", { subnetCidr: "192.168.1.0" }, "subnetCidr", /CIDR/],
    ["a subnet with host bits", { subnetCidr: "192.168.1.7/24" }, "subnetCidr", /192\.168\.1\.0\/24/],
    ["a subnet too small for the hosts", { subnetCidr: "10.0.0.0/28" }, "subnetCidr", /larger block/],
    ["an extension without a dot", { staticExtensions: ["png"] }, "staticExtensions[0]", /with its dot/],
    ["the seed's duplicate .png", { staticExtensions: [".gif", ".png", ".png"] }, "staticExtensions[2]", /twice/],
    ["an unknown balance", { balance: "fastest" as never }, "balance", /roundrobin/],
    ["an unknown cookie mode", { cookieMode: "rewrite" as never }, "cookieMode", /prefix/],
    ["an unknown keep-alive mode", { keepAlive: "forceclose" as never }, "keepAlive", /httpclose/],
    ["a duration without unit", { healthCheck: { inter: "10000" as never } }, "healthCheck.inter", /unit/],
    ["a 10 ms check interval", { healthCheck: { inter: "10ms" } }, "healthCheck.inter", /100ms/],
    ["fall 0", { healthCheck: { fall: 0 } }, "healthCheck.fall", /1 to 20/],
    ["a check path with a space", { healthCheck: { path: "/index .html" } }, "healthCheck.path", /plain URL path/],
    ["a stats user with a colon", { statsUser: "ad:min" }, "statsUser", /user name/],
    ["a student id with a slash", { student: "a/b" }, "student", /student id/],
    ["an unknown profile", { profile: "fast" as never }, "profile", /tuned, seed/],
  ])("rejects %s, naming %s", (_label, input, path, message) => {
    const { settings, problems } = resolveLabSettings(input);
    expect(settings).toBeUndefined();
    const found = problems.find((p) => p.path === path);
    expect(found, JSON.stringify(problems)).toBeDefined();
    expect(found?.message).toMatch(message);
  });

  it("reports every problem at once", () => {
    const { problems } = resolveLabSettings({ statsUser: "", balance: "x" as never, subnetCidr: "nope" });
    expect(problems.map((p) => p.path).sort()).toEqual(["balance", "statsUser", "subnetCidr"]);
  });
});

describe("lab topology", () => {
  it("places the seed's hosts at .20-.23 with cookies A and B", () => {
    const topology = planLabTopology(DEFAULT_LAB_SETTINGS);
    expect(topology.hosts.map((h) => [h.name, h.role, h.privateIp, h.weight, h.cookie])).toEqual([
      ["haproxy", "frontend", "192.168.1.20", undefined, undefined],
      ["backend1", "web", "192.168.1.21", 60, "A"],
      ["backend2", "web", "192.168.1.22", 45, "B"],
      ["backend3", "static", "192.168.1.23", 50, undefined],
    ]);
  });

  it("adding a web backend is a config change that shifts only the static host", () => {
    const { settings } = resolveLabSettings({ webServers: [...DEFAULT_LAB_SETTINGS.webServers, { name: "backend4", weight: 30 }] });
    const topology = planLabTopology(settings!);
    expect(topology.webServers.map((h) => [h.name, h.privateIp, h.cookie])).toEqual([
      ["backend1", "192.168.1.21", "A"],
      ["backend2", "192.168.1.22", "B"],
      ["backend4", "192.168.1.23", "C"],
    ]);
    expect(topology.staticServers[0].privateIp).toBe("192.168.1.24");
  });

  it("without cookie persistence no server carries a cookie value", () => {
    const { settings } = resolveLabSettings({ cookieMode: "none" });
    expect(planLabTopology(settings!).webServers.every((h) => h.cookie === undefined)).toBe(true);
  });

  it("every host address lies inside the subnet and is unique, for any valid subnet and server count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 26 }), fc.integer({ min: 1, max: 16 }), (octet, prefix, webCount) => {
        const cidr = parseCidr(`10.${octet}.0.0/${prefix}`)!;
        const subnetCidr = `${cidr.networkText}/${prefix}`;
        const webServers = Array.from({ length: webCount }, (_, i) => ({ name: `web${i + 1}`, weight: 10 }));
        const { settings } = resolveLabSettings({ subnetCidr, webServers });
        if (!settings) return false; // a /26 or larger always fits 16 web + 1 static host from .20
        const topology = planLabTopology(settings);
        const addresses = topology.hosts.map((h) => h.privateIp);
        expect(new Set(addresses).size).toBe(addresses.length);
        for (const address of addresses) expect(cidrContains(cidr, parseCidr(`${address}/32`)!)).toBe(true);
        return true;
      }),
    );
  });

  it("lab URLs hang off the base URL without doubled slashes", () => {
    const urls = labUrls("http://203.0.113.7/", planLabTopology(DEFAULT_LAB_SETTINGS));
    expect(urls).toEqual({
      frontend: "http://203.0.113.7/",
      stats: "http://203.0.113.7/stats",
      prueba: "http://203.0.113.7/prueba.php",
      sesiones: "http://203.0.113.7/sesiones.php",
      static: "http://203.0.113.7/static.html",
    });
  });
});
