/**
 * Reliability under load, on loopback, bounded: failover, reload with a changed weight, an invalid
 * change, and nothing left behind. Counts are reported (console) so CI logs keep the figures; only
 * the tuned profile's promises are asserted (0 failed, DOWN within 3 s). The seed profile's errors
 * are the lesson, measured, not asserted.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyLab, findHost, LabError, readState, startHostProcess, stopHostProcess, type LabState } from "../../scripts/lib/local-lab/lab";
import { runSync } from "../../scripts/lib/local-lab/processes";
import { runLoad } from "../../scripts/lib/load";
import { statsRows } from "../../scripts/lib/checks";
import { parseWrk } from "../../scripts/lib/bench/report";
import { LAB_PATHS } from "../../components/lab/roles";
import { ROOT } from "../helpers/plan";
import { startTestLab, stopTestLab, type TestLab } from "../helpers/local-lab";

const target = (state: LabState) => ({ baseUrl: state.urls.frontend, statsUrl: state.urls.stats, statsUser: state.statsUser, statsPassword: state.statsPassword, expected: { webServers: [], staticServers: [], staticExtensions: [], cookieMode: "none" as const, keepAlive: "http-keep-alive" as const, balance: "roundrobin", healthCheck: { inter: "1s", rise: 2, fall: 2 } } });

async function statusOf(state: LabState, server: string): Promise<string> {
  try {
    return (await statsRows(target(state))).find((row) => row.server === server)?.status ?? "missing";
  } catch {
    return "unreachable";
  }
}

/** Stops backend1 while load runs; returns the load figures and how long until DOWN. */
async function failoverUnderLoad(lab: TestLab, boundMs: number) {
  const state = lab.state;
  const load = runLoad(state.urls.prueba, { concurrency: 8, durationMs: boundMs + 3000, maxRequests: 200_000 });
  await new Promise((r) => setTimeout(r, 500));
  const backend1 = findHost(state, "backend1");
  const stoppedAt = Date.now();
  await stopHostProcess(backend1);
  let downAfterMs: number | undefined;
  while (Date.now() - stoppedAt < boundMs) {
    if ((await statusOf(state, "backend1")).startsWith("DOWN")) {
      downAfterMs = Date.now() - stoppedAt;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const result = await load;
  await startHostProcess(backend1);
  return { result, downAfterMs };
}

describe("reliability under load, tuned profile", () => {
  let lab: TestLab | undefined;
  beforeAll(async () => {
    lab = await startTestLab("127.0.15", ["profile=tuned"]);
  }, 120_000);
  afterAll(async () => {
    expect(await stopTestLab(lab)).toEqual([]);
  }, 60_000);

  // Runs first, on apache instances that have only their 10 idle children. Without the per-server
  // maxconn (components/lab/limits.ts), HAProxy's pooled connections for 50 keep-alive clients
  // pinned every child, health checks queued behind them timed out, and healthy servers went DOWN.
  it("a burst of 50 keep-alive clients on a fresh lab fails no request and takes no server DOWN", async () => {
    const state = lab!.state;
    const url = `${state.urls.frontend}/index.html`;
    expect(new URL(url).hostname.startsWith("127.")).toBe(true);
    const wrk = parseWrk(execFileSync("wrk", ["-t1", "-c50", "-d4s", "--timeout", "5s", url], { encoding: "utf8", timeout: 30_000 }));
    const rows = await statsRows(target(state));
    console.log(`[reliability] burst: ${Math.round(wrk.requestsPerSecond)} req/s, ${wrk.errors} errors; check downs ${rows.map((r) => `${r.server}=${r.checkDowns}`).join(" ")}`);
    const downs = readFileSync(findHost(state, "haproxy").logFile, "utf8").split("\n").filter((line) => line.includes(" is DOWN") && !line.startsWith("<"));
    if (downs.length > 0) console.log(`[reliability] burst: ${downs.join("\n")}`);
    expect(wrk.errors).toBe(0);
    expect(rows.filter((row) => row.checkDowns > 0)).toEqual([]);
  }, 60_000);

  it("a web backend killed under load: 0 failed requests and DOWN within 3 s", async () => {
    const { result, downAfterMs } = await failoverUnderLoad(lab!, 6000);
    console.log(`[reliability] tuned failover: ${result.total} requests, ${result.failed} failed, DOWN after ${downAfterMs} ms, statuses ${JSON.stringify(result.statuses)}`);
    expect(result.total).toBeGreaterThan(100);
    expect(result.failed).toBe(0);
    expect(downAfterMs).toBeDefined();
    expect(downAfterMs!).toBeLessThanOrEqual(3000);
  }, 60_000);

  it("a reload under load with a changed weight: 0 failed requests, the new weights in effect", async () => {
    const state = lab!.state;
    await expect.poll(() => statusOf(state, "backend1"), { timeout: 15_000 }).toMatch(/^UP/);
    const load = runLoad(state.urls.prueba, { concurrency: 8, durationMs: 4000, maxRequests: 100_000 });
    await new Promise((r) => setTimeout(r, 1000));
    await applyLab(lab!.labDir, ROOT, ['webServers=[{"name":"backend1","weight":10},{"name":"backend2","weight":90}]']);
    const during = await load;
    console.log(`[reliability] reload under load: ${during.total} requests, ${during.failed} failed, ${during.retriedOnReusedConnection} retried after the old worker closed an idle connection, statuses ${JSON.stringify(during.statuses)}, errors ${JSON.stringify(during.errors)}`);
    expect(during.failed).toBe(0);
    const after = await runLoad(state.urls.prueba, { concurrency: 1, durationMs: 5000, maxRequests: 200 });
    const share = (after.byHost.backend1 ?? 0) / after.total;
    console.log(`[reliability] after reload: ${JSON.stringify(after.byHost)}`);
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
  }, 60_000);

  it("an invalid change under load is refused, 0 failed requests, the running config unchanged", async () => {
    const state = readState(lab!.labDir)!;
    const frontend = findHost(state, "haproxy");
    const before = createHash("sha256").update(readFileSync(frontend.configFile)).digest("hex");
    const load = runLoad(state.urls.prueba, { concurrency: 8, durationMs: 3000, maxRequests: 100_000 });
    await new Promise((r) => setTimeout(r, 500));
    // Refused by validation: a weight HAProxy cannot take.
    await expect(applyLab(lab!.labDir, ROOT, ['webServers=[{"name":"backend1","weight":300},{"name":"backend2","weight":45}]'])).rejects.toThrow(LabError);
    // Refused by `haproxy -c` inside the very script the VMs run: a broken file staged by hand.
    const staged = `${frontend.configFile}.broken`;
    writeFileSync(staged, `${readFileSync(frontend.configFile, "utf8")}\nbackend broken\n    contimeout 5000\n`);
    const refused = runSync(join(frontend.hostRoot, LAB_PATHS.applyScript), ["--staged", staged, "--target", frontend.configFile, "--reload", `pid:${frontend.pidFile}`]);
    const during = await load;
    console.log(`[reliability] invalid change under load: ${during.total} requests, ${during.failed} failed; apply script exit ${refused.status}`);
    expect(refused.status).toBe(1);
    expect(during.failed).toBe(0);
    expect(createHash("sha256").update(readFileSync(frontend.configFile)).digest("hex")).toBe(before);
  }, 60_000);
});

describe("reliability under load, seed profile (the lesson)", () => {
  let lab: TestLab | undefined;
  beforeAll(async () => {
    lab = await startTestLab("127.0.16", ["profile=seed"]);
  }, 120_000);
  afterAll(async () => {
    expect(await stopTestLab(lab)).toEqual([]);
  }, 60_000);

  it("the tutorial's settings (check inter 10s, fall 3, no retry-on) measured: errors and a long outage", async () => {
    const { result, downAfterMs } = await failoverUnderLoad(lab!, 40_000);
    console.log(`[reliability] seed failover: ${result.total} requests, ${result.failed} failed, DOWN after ${downAfterMs} ms, statuses ${JSON.stringify(result.statuses)}`);
    expect(result.total).toBeGreaterThan(0);
    expect(downAfterMs).toBeDefined();
  }, 90_000);
});
