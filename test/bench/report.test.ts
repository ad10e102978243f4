import { describe, expect, it } from "vitest";
import { goals, markdownTable, parseWrk, summarize, svgChart, type Metric, type Summary, type TargetName } from "../../scripts/lib/bench/report";
import { nginxConfig } from "../../scripts/lib/bench/nginx";

const WRK = `Running 4s test @ http://127.0.21.20:8080/bench-100.txt
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.41ms    1.02ms  22.31ms   91.30%
    Req/Sec    14.71k     1.03k   16.02k    80.00%
  58533 requests in 4.00s, 20.43MB read
  Socket errors: connect 0, read 12, write 0, timeout 1
  Non-2xx or 3xx responses: 2
Requests/sec:  14633.25
Transfer/sec:      5.11MB
`;

describe("benchmark arithmetic", () => {
  it("reads requests/s, transfer and real errors from wrk", () => {
    expect(parseWrk(WRK)).toEqual({ requestsPerSecond: 14633.25, bytesPerSecond: 5.11 * 1024 ** 2, errors: 3 });
    expect(() => parseWrk("garbage")).toThrow(/unexpected wrk output/);
  });

  it("summarizes runs as median with min and max", () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: [3, 1, 2] });
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5);
  });

  const fixture = (values: Record<TargetName, number>) =>
    Object.fromEntries(Object.entries(values).map(([t, v]) => [t, { keepAliveRps: v, sessionRate: v, forwardMiBps: v }])) as Record<TargetName, Record<Metric, number>>;

  it("states each target as a ratio from one run, met or missed", () => {
    const results = goals(fixture({ tuned: 100, seed: 30, nginx: 90, direct: 120 }), 1500);
    expect(results.map((g) => [g.description, Number(g.ratio.toFixed(2)), g.met])).toEqual([
      ["tuned keep-alive req/s ≥ 1.0× nginx", 1.11, true],
      ["tuned keep-alive req/s ≥ 2.5× seed", 3.33, true],
      ["tuned new sessions/s ≥ 1.0× nginx", 1.11, true],
      ["tuned 1 MiB forwarding ≥ 1.2× nginx", 0.0 + Number((100 / 90).toFixed(2)), false],
      ["idle connections ≤ 2 kB RSS each (tuned haproxy)", 1.5, true],
    ]);
  });

  it("renders a table and an SVG chart with every target", () => {
    const s = (v: number): Summary => ({ median: v, min: v - 1, max: v + 1, runs: [v - 1, v, v + 1] });
    const summaries = Object.fromEntries((["tuned", "seed", "nginx", "direct"] as const).map((t, i) => [t, { keepAliveRps: s(100 + i), sessionRate: s(50 + i), forwardMiBps: s(900 + i) }])) as Record<TargetName, Record<Metric, Summary>>;
    const table = markdownTable(summaries, goals(fixture({ tuned: 1, seed: 1, nginx: 1, direct: 1 }), undefined), "idle");
    expect(table).toContain("| keep-alive req/s (100 B, 50 conns) | 100 (99–101) | 101 (100–102) | 102 (101–103) | 103 (102–104) |");
    const svg = svgChart(summaries);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBe(12 + 4);
  });
});

describe("nginx peer configured from the plan", () => {
  const config = nginxConfig({
    listenAddress: "127.0.23.20",
    port: 8080,
    web: [{ address: "127.0.21.21", port: 8080, weight: 60 }, { address: "127.0.21.22", port: 8080, weight: 45 }, { address: "127.0.21.24", port: 8080, weight: 0 }],
    static: [{ address: "127.0.21.23", port: 8080, weight: 50 }],
    staticExtensions: [".gif", ".png", ".jpg"],
    runDir: "/tmp/nginx",
    workers: 2,
    workerConnections: 7000,
  });

  it("uses the same weights, drops drained servers and keeps upstream connections alive", () => {
    expect(config).toContain("server 127.0.21.21:8080 weight=60;");
    expect(config).toContain("server 127.0.21.22:8080 weight=45;");
    expect(config).not.toContain("127.0.21.24");
    expect(config).toContain("keepalive 64;");
    expect(config).toContain('proxy_set_header Connection "";');
  });

  it("routes the static extensions to the static backend and sets X-Forwarded-For", () => {
    expect(config).toContain("location ~* \\.(gif|png|jpg)$ {");
    expect(config).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
  });
});
