import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MemoryBackend } from "../../scripts/lib/automation/memory";
import { isThrottling } from "../../scripts/lib/automation/backend";
import { destroyAll, ephemeralRun, ephemeralStackName, reapExpired, runPool, upAll, withRetry, EXPIRES_LABEL, type StackJob } from "../../scripts/lib/class/orchestrate";

const noSleep = { retries: 3, baseDelayMs: 1, sleep: async () => undefined };
const jobs = (n: number): StackJob[] => Array.from({ length: n }, (_, i) => ({ id: `s${i}`, stack: `lab-s${i}`, config: { "haproxy-lab:student": { value: `s${i}` } } }));
const throttle = () => new Error("Throttling: Rate exceeded (Service: Ec2, Status Code: 400)");

describe("class orchestration", () => {
  it("never runs more than the concurrency bound at once, and runs them all", async () => {
    const backend = new MemoryBackend().delay("*", 15);
    const results = await upAll(backend, jobs(10), { concurrency: 3, retry: noSleep });
    expect(backend.maxConcurrentUps).toBe(3);
    expect(results.map((r) => r.state)).toEqual(Array(10).fill("ready"));
  });

  it("retries AWS throttling with backoff and succeeds", async () => {
    const backend = new MemoryBackend().failOn("up", "lab-s1", throttle(), 2);
    const delays: number[] = [];
    const results = await upAll(backend, jobs(2), { concurrency: 2, retry: { retries: 4, baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) } });
    expect(results[1]).toMatchObject({ state: "ready", attempts: 3 });
    expect(delays).toEqual([100, 200]);
  });

  it("does not retry a real error, and gives up on endless throttling", async () => {
    const backend = new MemoryBackend().failOn("up", "lab-s0", new Error("InvalidAMIID.NotFound")).failOn("up", "lab-s1", throttle(), 10);
    const results = await upAll(backend, jobs(2), { concurrency: 2, retry: noSleep });
    expect(results[0]).toMatchObject({ state: "failed", attempts: 1, error: "InvalidAMIID.NotFound" });
    expect(results[1]).toMatchObject({ state: "failed", attempts: 4 });
  });

  it("one student's failure never stops the others", async () => {
    const backend = new MemoryBackend().failOn("up", "lab-s2", new Error("quota exceeded"));
    const results = await upAll(backend, jobs(5), { concurrency: 2, retry: noSleep });
    expect(results.map((r) => r.state)).toEqual(["ready", "ready", "failed", "ready", "ready"]);
  });

  it("re-running is idempotent: existing stacks are selected, not recreated, and end ready", async () => {
    const backend = new MemoryBackend().failOn("up", "lab-s1", new Error("boom"));
    await upAll(backend, jobs(3), { concurrency: 2, retry: noSleep });
    const again = await upAll(backend, jobs(3), { concurrency: 2, retry: noSleep });
    expect(again.map((r) => r.state)).toEqual(["ready", "ready", "ready"]);
    expect(backend.stacks.size).toBe(3);
    expect(backend.calls.filter((c) => c === "ensure:lab-s0")).toHaveLength(2);
  });

  it("reports every state change in order, per student", async () => {
    const seen: string[] = [];
    await upAll(new MemoryBackend().failOn("up", "lab-s1", new Error("x")), jobs(2), { concurrency: 1, retry: noSleep, onState: (id, state) => seen.push(`${id}:${state}`) });
    expect(seen).toEqual(["s0:queued", "s1:queued", "s0:creating", "s0:ready", "s1:creating", "s1:failed"]);
  });

  it("destroy removes the stacks, skips absent ones, and isolates failures", async () => {
    const backend = new MemoryBackend();
    await upAll(backend, jobs(3), { concurrency: 3, retry: noSleep });
    backend.failOn("destroy", "lab-s1", new Error("DependencyViolation"));
    const results = await destroyAll(backend, [...jobs(3), { id: "ghost", stack: "lab-ghost", config: {} }], { concurrency: 2, retry: noSleep });
    expect(results.map((r) => r.state)).toEqual(["destroyed", "failed", "destroyed", "destroyed"]);
    expect([...backend.stacks.keys()]).toEqual(["lab-s1"]);
  });

  it("the pool keeps order and never exceeds its bound, for any sizes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 8 }), async (count, bound) => {
        let running = 0;
        let peak = 0;
        const out = await runPool(Array.from({ length: count }, (_, i) => i), bound, async (i) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 1));
          running--;
          return i * 2;
        });
        expect(out).toEqual(Array.from({ length: count }, (_, i) => i * 2));
        expect(peak).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 25 },
    );
  });

  it("recognises AWS throttling messages and nothing else", () => {
    expect(isThrottling(throttle())).toBe(true);
    expect(isThrottling(new Error("RequestLimitExceeded: Request limit exceeded."))).toBe(true);
    expect(isThrottling(new Error("UnauthorizedOperation"))).toBe(false);
  });

  it("withRetry reports the attempts it used", async () => {
    let calls = 0;
    const { value, attempts } = await withRetry(async () => (++calls < 3 ? Promise.reject(throttle()) : "ok"), noSleep);
    expect([value, attempts]).toEqual(["ok", 3]);
  });
});

describe("ephemeral CI labs", () => {
  const base = (backend: MemoryBackend, signals = new EventEmitter(), overrides = {}) =>
    ephemeralRun(backend, {
      stack: "ci-42",
      config: {},
      ttlMs: 3_600_000,
      now: () => Date.parse("2026-11-24T00:00:00Z"),
      signals,
      retry: noSleep,
      waitUntilReady: async () => undefined,
      runChecks: async () => true,
      ...overrides,
    });

  it("runs up, waits, checks, then destroys and removes the stack", async () => {
    const backend = new MemoryBackend();
    const result = await base(backend);
    expect(result).toEqual({ stack: "ci-42", outcome: "passed", cleanedUp: true });
    expect(backend.stacks.size).toBe(0);
    expect(backend.calls).toEqual(["ensure:ci-42", "setLabels:ci-42", "setConfig:ci-42", "up:ci-42", "destroy:ci-42", "remove:ci-42"]);
  });

  it("cleans up when the checks fail", async () => {
    const backend = new MemoryBackend();
    expect(await base(backend, undefined, { runChecks: async () => false })).toMatchObject({ outcome: "checks-failed", cleanedUp: true });
    expect(backend.stacks.size).toBe(0);
  });

  it("cleans up when up fails", async () => {
    const backend = new MemoryBackend().failOn("up", "ci-42", new Error("VcpuLimitExceeded"));
    expect(await base(backend)).toMatchObject({ outcome: "failed", error: "VcpuLimitExceeded", cleanedUp: true });
    expect(backend.stacks.size).toBe(0);
  });

  it("cleans up when the lab never answers", async () => {
    const backend = new MemoryBackend();
    const result = await base(backend, undefined, { waitUntilReady: async () => Promise.reject(new Error("did not answer within 10m")) });
    expect(result).toMatchObject({ outcome: "failed", cleanedUp: true });
  });

  it.each(["SIGINT", "SIGTERM"] as const)("on %s during up it cancels, destroys and removes the stack", async (signal) => {
    const backend = new MemoryBackend().delay("ci-42", 200);
    const signals = new EventEmitter();
    const running = base(backend, signals);
    await new Promise((r) => setTimeout(r, 30));
    signals.emit(signal);
    const result = await running;
    expect(result).toMatchObject({ outcome: "interrupted", cleanedUp: true });
    expect(backend.stacks.size).toBe(0);
    expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
  });

  it("clears a stale lock left by a killed run before destroying", async () => {
    const backend = new MemoryBackend().failOn("destroy", "ci-42", new Error("the stack is currently locked by 1 lock(s)"));
    expect(await base(backend)).toMatchObject({ cleanedUp: true });
    expect(backend.calls).toContain("cancel:ci-42");
  });

  it("labels the stack with its expiry, and reap destroys only expired stacks", async () => {
    const backend = new MemoryBackend();
    await backend.ensure("ci-old");
    await backend.setLabels("ci-old", { [EXPIRES_LABEL]: "2026-11-23T22:00:00.000Z" });
    await backend.ensure("ci-new");
    await backend.setLabels("ci-new", { [EXPIRES_LABEL]: "2026-11-24T02:00:00.000Z" });
    await backend.ensure("lab-ana");
    const reaped = await reapExpired(backend, () => Date.parse("2026-11-24T00:00:00Z"), { retry: noSleep });
    expect(reaped.map((r) => [r.stack, r.state])).toEqual([["ci-old", "destroyed"]]);
    expect([...backend.stacks.keys()].sort()).toEqual(["ci-new", "lab-ana"]);
  });

  it("names stacks from the CI run id", () => {
    expect(ephemeralStackName("1234567890")).toBe("ci-1234567890");
    expect(ephemeralStackName("PR #42/run 7")).toBe("ci-pr-42-run-7");
    expect(() => ephemeralStackName("///")).toThrow(/run id/);
  });
});
