import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { deriveMaxconn, maxconnForInstanceType, BYTES_PER_BUSY_CONNECTION, RESERVED_FDS, MIN_MAXCONN } from "../../components/lab/limits";

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
