import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  renderHaproxyConfig,
  seedLabHaproxyConfig,
  sha512Crypt,
  splitWords,
  HaproxyConfigError,
  type HaproxyConfig,
  type SeedLabOptions,
} from "../../components/haproxy";
import { expectGolden } from "../helpers/golden";
import { haproxyCheck } from "../helpers/haproxy";

const hashed = { user: "admin", password: { hashed: sha512Crypt("Venezuela21", "seedsalt") } };

/** Preset variants: every option combination a lab can ask for. */
const variants: [string, SeedLabOptions][] = [
  ["the seed as written (inline stats auth)", { stats: { user: "admin", password: { insecure: "Venezuela21" } } }],
  ["hashed stats password", { stats: hashed }],
  ["http-server-close keep-alive exercise", { keepAlive: "http-server-close", stats: hashed }],
  ["http-keep-alive", { keepAlive: "http-keep-alive", stats: hashed }],
  ["insert cookies", { cookieMode: "insert", stats: hashed }],
  ["no persistence", { cookieMode: "none", stats: hashed }],
  ["tuned profile", { profile: "tuned", stats: hashed }],
  ["tuned with httpchk", { profile: "tuned", healthCheck: { path: "/index.html" }, stats: hashed }],
  ["three web backends, other weights, leastconn", {
    webServers: [
      { name: "backend1", address: "10.0.7.21", weight: 10 },
      { name: "backend2", address: "10.0.7.22", weight: 20 },
      { name: "backend4", address: "10.0.7.23", weight: 256 },
    ],
    staticServers: [{ name: "backend3", address: "10.0.7.24" }],
    frontendAddress: "10.0.7.20",
    balance: "leastconn",
    staticExtensions: [".gif", ".png", ".jpg", ".css"],
    stats: hashed,
  }],
  ["port 8080 and source balance", { port: 8080, balance: "source", stats: hashed }],
];

describe("rendering the seed preset", () => {
  it("matches the golden file, in HAProxy 2.x syntax, with the seed's backend typo fixed", () => {
    const text = renderHaproxyConfig(seedLabHaproxyConfig({ stats: { user: "admin", password: { insecure: "Venezuela21" } } }));
    expectGolden("haproxy/seed.cfg", text);
    expect(text).toContain("use_backend servidorestaticos if url_static");
    expect(text).not.toMatch(/contimeout|clitimeout|srvtimeout|^\s*redispatch/m);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("matches the golden file for the tuned profile with a hashed stats password", () => {
    expectGolden("haproxy/tuned.cfg", renderHaproxyConfig(seedLabHaproxyConfig({ profile: "tuned", healthCheck: { path: "/index.html" }, stats: hashed })));
  });

  it("keeps a hashed stats password out of the file in clear", () => {
    const text = renderHaproxyConfig(seedLabHaproxyConfig({ stats: hashed }));
    expect(text).not.toContain("Venezuela21");
    expect(text).toContain("stats http-request auth realm 'HAProxy Statistics' unless { http_auth(stats_users) }");
  });

  it("is deterministic", () => {
    const options: SeedLabOptions = { profile: "tuned", stats: hashed };
    expect(renderHaproxyConfig(seedLabHaproxyConfig(options))).toBe(renderHaproxyConfig(seedLabHaproxyConfig(options)));
  });

  it("refuses to render a model with errors, carrying every problem", () => {
    const broken: HaproxyConfig = { ...seedLabHaproxyConfig(), frontends: [{ ...seedLabHaproxyConfig().frontends[0], defaultBackend: "servidorestatico" }] };
    expect(() => renderHaproxyConfig(broken)).toThrow(HaproxyConfigError);
    try {
      renderHaproxyConfig(broken);
    } catch (error) {
      expect((error as HaproxyConfigError).problems.some((p) => p.path === "frontends[0].defaultBackend")).toBe(true);
    }
  });

  it.each(variants)("HAProxy accepts the preset: %s", async (_label, options) => {
    const result = await haproxyCheck(renderHaproxyConfig(seedLabHaproxyConfig(options)));
    expect(result.ok, result.output).toBe(true);
  });
});

describe("rendered words survive HAProxy's tokenizer", () => {
  it("every line of every preset splits into balanced words", () => {
    for (const [, options] of variants) {
      for (const line of renderHaproxyConfig(seedLabHaproxyConfig(options)).split("\n")) {
        expect(splitWords(line), line).toBeDefined();
      }
    }
  });

  it("header values with quotes, blanks, '#', '$' and backslashes come back intact", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "#", "$", "\\", '"', "'", "%%", "%[src]", "[", "}", "!", "|", "{", "b"), minLength: 1, maxLength: 20 }), (value) => {
        const base = seedLabHaproxyConfig();
        const config: HaproxyConfig = { ...base, frontends: [{ ...base.frontends[0], httpRequest: [{ action: "set-header", name: "X-Test", value }] }] };
        const line = renderHaproxyConfig(config).split("\n").find((l) => l.includes("http-request set-header"))!;
        expect(splitWords(line)).toEqual(["http-request", "set-header", "X-Test", value]);
      }),
    );
  });
});
