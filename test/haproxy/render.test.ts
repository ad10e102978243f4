import { describe, expect, it } from "vitest";
import {
  anyOf,
  HaproxyConfigError,
  ifAcl,
  renderCondition,
  unlessAcl,
  renderHaproxyConfig,
  renderUnchecked,
  seedLabHaproxyConfig,
  splitWords,
  UnsafeWordError,
  type FrontendSection,
  type HaproxyConfig,
} from "../../components/haproxy";
import { expectGolden } from "../helpers/golden";
import { kitchenSinkConfig } from "./fixtures";

/** The directive keywords of one section's body, in order (e.g. ["mode", "log", "option" …]). */
function keywordsOf(text: string, header: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(header);
  expect(start, `no section ${header}`).toBeGreaterThanOrEqual(0);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("    ")) break;
    body.push(splitWords(line)![0]);
  }
  return body;
}

/** The first index of each keyword, to compare orders without caring about repetitions. */
function order(keywords: readonly string[]): string[] {
  return keywords.filter((keyword, index) => keywords.indexOf(keyword) === index);
}

describe("rendering the seed preset", () => {
  const seedText = renderHaproxyConfig(seedLabHaproxyConfig());

  it("matches the golden file", () => {
    expectGolden("haproxy/seed.cfg", seedText);
  });

  it("is HAProxy 2.x syntax: no contimeout/clitimeout/srvtimeout, no bare redispatch, durations with units", () => {
    expect(seedText).not.toMatch(/contimeout|clitimeout|srvtimeout|^\s*redispatch|option forceclose|reqadd|rsprep/m);
    expect(seedText).toContain("    timeout connect 5s\n    timeout client 50s\n    timeout server 50s\n");
    expect(seedText).toContain("check inter 10s");
  });

  it("routes static files to the backend the seed declares (its use_backend typo fixed)", () => {
    expect(seedText).toContain("    acl url_static path_end .gif .png\n");
    expect(seedText).toContain("    use_backend servidorestaticos if url_static\n");
    expect(seedText).toContain("\nbackend servidorestaticos\n");
  });

  it("keeps the stats password out of the file, with the auth rule HAProxy 2.x parses", () => {
    expect(seedText).not.toContain("Venezuela21");
    expect(seedText).toContain('    stats http-request auth realm "HAProxy Statistics" unless { http_auth(stats_users) }\n');
    expect(seedText).toMatch(/^userlist stats_users\n {4}user admin password \$6\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{86}\n/m);
  });

  it("writes the tutorial's clear-text stats auth only when asked for it", () => {
    const text = renderHaproxyConfig(seedLabHaproxyConfig({ stats: { user: "admin", password: { insecure: "Venezuela21" } } }));
    expect(text).toContain('    stats realm "HAProxy Statistics"\n    stats auth admin:Venezuela21\n');
    expect(text).not.toContain("userlist");
  });

  it("matches the golden file for the tuned profile with an HTTP check", () => {
    expectGolden("haproxy/tuned.cfg", renderHaproxyConfig(seedLabHaproxyConfig({ profile: "tuned", healthCheck: { path: "/index.html" } })));
  });

  it("ends with exactly one newline and has no trailing blanks", () => {
    expect(seedText.endsWith("\n")).toBe(true);
    expect(seedText.endsWith("\n\n")).toBe(false);
    expect(seedText).not.toMatch(/[ \t]$/m);
  });

  it("is deterministic", () => {
    expect(renderHaproxyConfig(seedLabHaproxyConfig({ profile: "tuned" }))).toBe(renderHaproxyConfig(seedLabHaproxyConfig({ profile: "tuned" })));
  });
});

describe("rendering every directive", () => {
  const text = renderHaproxyConfig(kitchenSinkConfig());

  it("matches the golden file of the model with every section and directive", () => {
    expectGolden("haproxy/kitchen-sink.cfg", text);
  });

  it("writes sections in the order global, defaults, userlist, frontend, backend, listen", () => {
    const headers = text.split("\n").filter((line) => /^\S/.test(line)).map((line) => line.split(" ")[0]);
    expect(order(headers)).toEqual(["global", "defaults", "userlist", "frontend", "backend", "listen"]);
  });

  it("writes a frontend in the documented order: settings, bind, acl, stats, rules, routing", () => {
    expect(order(keywordsOf(text, "frontend haproxy"))).toEqual(["log-format", "maxconn", "option", "bind", "acl", "stats", "http-request", "http-response", "use_backend", "default_backend"]);
  });

  it("writes a backend in the documented order, servers last", () => {
    expect(order(keywordsOf(text, "backend servidores"))).toEqual(["option", "timeout", "http-response", "balance", "cookie", "http-check", "default-server", "server"]);
    expect(order(keywordsOf(text, "backend api"))).toEqual(["acl", "http-request", "balance", "cookie", "option", "http-check", "server"]);
  });

  it("writes defaults in the documented order", () => {
    expect(order(keywordsOf(text, "defaults"))).toEqual(["mode", "log", "maxconn", "option", "retries", "retry-on", "http-reuse", "timeout", "errorfile", "default-server"]);
  });

  it("declares ACLs before stats admin uses one (HAProxy refuses the other order)", () => {
    expect(text.indexOf("    acl lan src")).toBeLessThan(text.indexOf("    stats admin if lan admins"));
  });

  it.each([
    ["double quotes, with \\ \" and $ escaped, for texts that need them", '    http-request add-header X-Lab "say \\"hi\\" from %[src] #1 \\$HOME \\\\o/"\n'],
    ["bare crypt hashes (a '$' outside double quotes is literal)", "    user admin password $6$fixturesalt$"],
    ["insecure passwords quoted", '    user viewer insecure-password "view only #1 \\$x" groups readers\n'],
    ["'--' before an ACL pattern that starts with '-'", '    acl dash path_sub -- -old- "#frag" "a b"\n'],
    ["conditions with negation and ||", "    http-request deny deny_status 403 if is_api !host_lab || debug\n"],
    ["IPv6 addresses in brackets, source too", "    server backend6 [fd00::26]:80 weight 0 cookie C source [fd00::20] disabled\n"],
    ["a bind on every address", "    bind :443 name https ssl crt /etc/haproxy/certs/lab.pem alpn h2,http/1.1\n"],
    ["the 2.2+ http-check send syntax", "    http-check send meth HEAD uri /index.html ver HTTP/1.1 hdr Host localhost\n"],
    ["negated http-check expect", '    http-check expect ! string "it\'s up #1"\n'],
    ["two-word SSL options split", "    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets\n"],
    ["inline stats credentials as one word", '    stats auth "admin:pa ss\\"#\\$word"\n'],
  ])("writes %s", (_label, expected) => {
    expect(text).toContain(expected);
  });

  it("gives every line balanced words, at most 64 of them", () => {
    for (const line of text.split("\n")) expect(splitWords(line), line).toBeDefined();
  });
});

describe("conditions", () => {
  it.each([
    ["ifAcl: every ACL (AND), '!' negates", ifAcl("url_static", "!lan"), "if url_static !lan"],
    ["unlessAcl", unlessAcl("lan"), "unless lan"],
    ["anyOf: any ACL (OR)", anyOf("url_static", "!lan", "is_api"), "if url_static || !lan || is_api"],
  ])("%s", (_label, condition, written) => {
    expect(renderCondition(condition)).toBe(written);
  });
});

describe("refusing invalid models", () => {
  const broken = (): HaproxyConfig => {
    const base = seedLabHaproxyConfig();
    const frontend: FrontendSection = { ...base.frontends[0], defaultBackend: "servidorestatico", binds: [{ port: 0 }] };
    return { ...base, frontends: [frontend] };
  };

  it("throws HaproxyConfigError carrying every problem, errors listed in its message", () => {
    let caught: unknown;
    try {
      renderHaproxyConfig(broken());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HaproxyConfigError);
    const error = caught as HaproxyConfigError;
    expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["frontends[0].defaultBackend", "frontends[0].binds[0].port"]));
    expect(error.message).toMatch(/^haproxy\.cfg has 2 errors:\n {2}frontends\[0\]\.binds\[0\]\.port: 0 is not a TCP port.*\n {2}frontends\[0\]\.defaultBackend: backend 'servidorestatico' does not exist\. Did you mean 'servidorestaticos'\?/);
  });

  it("renders a model that only has warnings", () => {
    const config = seedLabHaproxyConfig({ stats: { user: "admin", password: { insecure: "x" } } });
    expect(() => renderHaproxyConfig(config)).not.toThrow();
  });

  it("never writes a newline from a value, even unvalidated", () => {
    const base = seedLabHaproxyConfig();
    const config: HaproxyConfig = { ...base, frontends: [{ ...base.frontends[0], stats: { ...base.frontends[0].stats!, realm: "x\nbackend evil" } }] };
    expect(() => renderUnchecked(config)).toThrow(UnsafeWordError);
  });
});
