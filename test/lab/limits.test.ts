import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { deriveMaxconn, maxconnForInstanceType, serverMaxconn, APACHE_PREFORK, BYTES_PER_BUSY_CONNECTION, RESERVED_FDS, MIN_MAXCONN } from "../../components/lab/limits";
import { labHaproxyConfig, planLabTopology, resolveLabSettings } from "../../components/lab";
import { apacheConfFor } from "../../components/lab/roles";
import { loadLabContent } from "../../components/lab/content";

describe("maxconn derived from the host", () => {
  it("a t3.micro frontend (1 GiB) gets what half its memory holds in busy streams, not the seed's 4096", () => {
    const { maxconn, known } = maxconnForInstanceType("t3.micro");
    expect(known).toBe(true);
    expect(maxconn).toBe(Math.floor((512 * 1024 * 1024) / BYTES_PER_BUSY_CONNECTION));
  });

  it("file descriptors bind when they are scarcer than memory: two per proxied connection", () => {
    expect(deriveMaxconn({ memoryMiB: 24_576, nofileHardLimit: 4096 })).toBe((4096 - RESERVED_FDS) / 2);
  });

  it("an unknown instance type is flagged and sized as the smallest plausible host", () => {
    const { maxconn, known } = maxconnForInstanceType("x9.huge");
    expect(known).toBe(false);
    expect(maxconn).toBe(maxconnForInstanceType("t3.nano").maxconn);
  });

  it("never exceeds either limit and never drops below a usable floor", () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 1_048_576 }), fc.integer({ min: 1024, max: 4_194_304 }), (memoryMiB, nofileHardLimit) => {
        const maxconn = deriveMaxconn({ memoryMiB, nofileHardLimit });
        expect(maxconn).toBeGreaterThanOrEqual(MIN_MAXCONN);
        if (maxconn > MIN_MAXCONN) {
          expect(maxconn * 2 + RESERVED_FDS).toBeLessThanOrEqual(nofileHardLimit);
          expect(maxconn * BYTES_PER_BUSY_CONNECTION).toBeLessThanOrEqual(memoryMiB * 1024 * 1024 * 0.5);
        }
      }),
    );
  });
});

describe("web servers capped below their Apache's children", () => {
  const stats = { user: "admin", passwordHash: "$6$saltsalt$hash" };
  const config = (profile: "tuned" | "seed") => labHaproxyConfig(planLabTopology(resolveLabSettings({ profile }).settings!), stats);
  const defaultServer = (profile: "tuned" | "seed") => config(profile).defaults[0].defaultServer;

  it("the tuned profile caps every server below the children Apache always keeps, leaving two for health checks", () => {
    expect(serverMaxconn(APACHE_PREFORK)).toBe(8);
    expect(defaultServer("tuned")?.maxconn).toBe(serverMaxconn());
    expect(APACHE_PREFORK.startServers).toBeGreaterThanOrEqual(APACHE_PREFORK.minSpareServers);
  });

  it("the seed profile keeps the tutorial's uncapped servers", () => {
    const seed = config("seed");
    expect(seed.defaults[0].defaultServer?.maxconn).toBeUndefined();
    expect(seed.backends.flatMap((backend) => backend.servers).filter((server) => server.maxconn !== undefined)).toEqual([]);
  });

  it("the MaxRequestWorkers the cap is derived from is the one cloud-init writes into every backend", () => {
    const conf = apacheConfFor("backend1", loadLabContent());
    expect(conf).toContain(`MaxRequestWorkers ${APACHE_PREFORK.maxRequestWorkers}\n`);
    expect(conf).toContain(`StartServers ${APACHE_PREFORK.startServers}\n`);
  });

  it("any pool keeps at least one of its always-present children free of HAProxy's connections", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 4096 }), (minSpare) => {
      const cap = serverMaxconn({ ...APACHE_PREFORK, minSpareServers: minSpare });
      expect(cap).toBeGreaterThanOrEqual(1);
      expect(cap).toBeLessThan(minSpare);
    }));
  });
});
