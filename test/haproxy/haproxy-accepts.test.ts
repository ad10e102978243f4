/**
 * Every config this suite renders goes through the real `haproxy -c` (and the stats auth through
 * a real haproxy on loopback). Fails, never skips, when haproxy is missing.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  renderHaproxyConfig,
  seedLabHaproxyConfig,
  sha512Crypt,
  validateHaproxyConfig,
  type HaproxyConfig,
  type SeedLabOptions,
} from "../../components/haproxy";
import { haproxyCheck, haproxyCheckAll, haproxyWarnings, requireHaproxy } from "../helpers/haproxy";
import { modelArb } from "./arbitraries";
import { kitchenSinkConfig, makeTestCertificate } from "./fixtures";

const hashed = { user: "admin", password: { hashed: sha512Crypt("s3cret", "accepts.salt") } } as const;
const insecure = { user: "admin", password: { insecure: "Venezuela21" } } as const;

/** Presets × options: profile × keep-alive × cookie mode × stats auth × HTTP check (72 configs). */
function presetMatrix(): [string, SeedLabOptions][] {
  const matrix: [string, SeedLabOptions][] = [];
  for (const profile of ["seed", "tuned"] as const)
    for (const keepAlive of ["httpclose", "http-server-close", "http-keep-alive"] as const)
      for (const cookieMode of ["prefix", "insert", "none"] as const)
        for (const [auth, stats] of [["hashed", hashed], ["inline", insecure]] as const)
          for (const path of [undefined, "/index.html"]) {
            const options: SeedLabOptions = { profile, keepAlive, cookieMode, stats, ...(path ? { healthCheck: { path } } : {}) };
            matrix.push([`${profile}/${keepAlive}/${cookieMode}/${auth}${path ? "/httpchk" : ""}`, options]);
          }
  return matrix;
}

/** Other option combinations: addresses, ports, server lists, balances, extensions, maxconn. */
const variants: [string, SeedLabOptions][] = [
  ["the defaults (no options at all)", {}],
  ["three web servers on another subnet, leastconn, more extensions", {
    frontendAddress: "10.0.7.20",
    webServers: [{ name: "backend1", address: "10.0.7.21", weight: 10 }, { name: "backend2", address: "10.0.7.22", weight: 20 }, { name: "backend4", address: "10.0.7.23", weight: 256, port: 8080 }],
    staticServers: [{ name: "backend3", address: "10.0.7.24", weight: 0 }, { name: "backend5", address: "10.0.7.25" }],
    balance: "leastconn",
    staticExtensions: [".gif", ".png", ".jpg", ".css", ".js", ".svg"],
  }],
  ["IPv6 addresses", { frontendAddress: "fd00::20", webServers: [{ name: "w1", address: "fd00::21" }], staticServers: [{ name: "s1", address: "fd00::23" }] }],
  ["port 8080, source balance, custom stats uri and realm", { port: 8080, balance: "source", stats: { ...hashed, uri: "/haproxy?stats", realm: "Lab #3 stats $x" } }],
  ["static-rr, first and random", { balance: "static-rr" }],
  ["first", { balance: "first" }],
  ["random", { balance: "random" }],
  ["tuned with every explicit override", { profile: "tuned", keepAlive: "http-server-close", keepAliveTimeout: "5s", healthCheck: { inter: "3s", rise: 3, fall: 5, path: "/health", method: "GET", host: "lab.example" }, maxconn: 20000 }],
  ["seed checks with rise and fall", { healthCheck: { inter: "2s", rise: 1, fall: 1 } }],
];

function expectAccepted(label: string, text: string, result: { ok: boolean; output: string }, allowWarnings = false): void {
  expect(result.ok, `${label}: haproxy -c refused it:\n${result.output}\n${text}`).toBe(true);
  if (!allowWarnings) expect(haproxyWarnings(result.output), `${label}: haproxy -c warned:\n${result.output}`).toEqual([]);
}

describe("HAProxy accepts every rendered config", () => {
  it("has the haproxy binary (the suite fails, never skips, without it)", () => {
    expect(requireHaproxy()).toMatch(/^HAProxy version [2-9]\./);
  });

  it("fails loudly, with the install command, when haproxy is missing", async () => {
    await expect(haproxyCheck("global\n", { binary: "/nonexistent/haproxy" })).rejects.toThrow(/haproxy is not installed.*apt-get install -y haproxy/);
  });

  it("reports a config haproxy refuses, with its alert", async () => {
    const result = await haproxyCheck("global\n    contimeout 5000\n");
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/ALERT.*contimeout/);
  });

  it("accepts the seed preset in 72 option combinations, without a warning", async () => {
    const matrix = presetMatrix();
    const texts = matrix.map(([, options]) => renderHaproxyConfig(seedLabHaproxyConfig(options)));
    const results = await haproxyCheckAll(texts);
    results.forEach((result, index) => expectAccepted(matrix[index][0], texts[index], result));
  });

  it.each(variants)("accepts the preset with %s, without a warning", async (label, options) => {
    const text = renderHaproxyConfig(seedLabHaproxyConfig(options));
    expectAccepted(label, text, await haproxyCheck(text));
  });

  describe("the model with every section and directive", () => {
    let cert: ReturnType<typeof makeTestCertificate>;
    beforeAll(() => {
      cert = makeTestCertificate();
    });
    afterAll(() => cert?.cleanup());

    it("is accepted without a warning", async () => {
      const text = renderHaproxyConfig(kitchenSinkConfig(cert.file));
      expectAccepted("kitchen sink", text, await haproxyCheck(text));
    });
  });

  it("accepts every generated model the validator accepts, and warns only when the validator warns too", async () => {
    // A fixed seed keeps CI reproducible; HAPROXY_FC_SEED explores others.
    const seed = Number(process.env.HAPROXY_FC_SEED ?? 20260601);
    const models = fc.sample(modelArb, { numRuns: 70, seed });
    const valid: { config: HaproxyConfig; clean: boolean }[] = [];
    for (const config of models) {
      const problems = validateHaproxyConfig(config);
      if (problems.some((p) => p.severity === "error")) continue;
      valid.push({ config, clean: problems.length === 0 });
    }
    // The generator aims at valid models: if most were refused, this test would prove little.
    expect(valid.length).toBeGreaterThanOrEqual(models.length * 0.8);
    expect(valid.filter((v) => v.clean).length).toBeGreaterThan(0);
    const texts = valid.map((v) => renderHaproxyConfig(v.config));
    const results = await haproxyCheckAll(texts);
    results.forEach((result, index) => expectAccepted(`generated model ${index} (seed ${seed})`, texts[index], result, !valid[index].clean));
  });
});

/** A free loopback port, found by letting the kernel pick one. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function get(port: number, path: string, auth?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, timeout: 3000, headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } : {} }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

describe("the stats page with a hashed password, on a real haproxy (loopback only)", () => {
  it("lets the user in with the password sha512Crypt hashed, and nobody else", async () => {
    requireHaproxy();
    const [port, closedPort] = [await freePort(), await freePort()];
    const base = seedLabHaproxyConfig({
      frontendAddress: "127.0.0.1",
      port,
      webServers: [{ name: "w1", address: "127.0.0.1", port: closedPort }],
      staticServers: [{ name: "s1", address: "127.0.0.1", port: closedPort }],
      stats: { user: "profe", password: { hashed: sha512Crypt("Venezuela21", "livecheck") } },
    });
    // Foreground, no chroot/user switch, no socket: just what the page needs.
    const config: HaproxyConfig = { ...base, global: { maxconn: 100 } };
    const dir = mkdtempSync(join(tmpdir(), "haproxy-live-"));
    const file = join(dir, "haproxy.cfg");
    writeFileSync(file, renderHaproxyConfig(config));
    const child = spawn("haproxy", ["-db", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let ready = false;
      for (let attempt = 0; attempt < 50 && !ready; attempt++) {
        ready = await get(port, "/stats").then(() => true, () => false);
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready, `haproxy did not start:\n${stderr}`).toBe(true);
      const anonymous = await get(port, "/stats");
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers["www-authenticate"]).toBe('Basic realm="HAProxy Statistics"');
      expect((await get(port, "/stats", "profe:wrong")).status).toBe(401);
      expect((await get(port, "/stats", "profe:Venezuela21")).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once("exit", r)));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
