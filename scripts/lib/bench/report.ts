/** Benchmark arithmetic and reports (pure): wrk parsing, medians, targets, Markdown and SVG. */

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly errors: number;
}

const UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(output);
  if (!rps || !transfer) throw new Error(`unexpected wrk output:\n${output}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  // With "Connection: close" wrk counts the server's close as a read error; connect/timeout are real.
  const socketErrors = socket ? Number(socket[1]) + Number(socket[4]) : 0;
  return { requestsPerSecond: Number(rps[1]), bytesPerSecond: Number(transfer[1]) * UNITS[transfer[2]], errors: non2xx + socketErrors };
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error("no runs to summarize");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: [...values] };
}

export type TargetName = "tuned" | "seed" | "nginx" | "direct";
export type Metric = "keepAliveRps" | "sessionRate" | "forwardMiBps";

export const METRIC_LABELS: Readonly<Record<Metric, string>> = {
  keepAliveRps: "keep-alive req/s (100 B, 50 conns)",
  sessionRate: "new sessions/s (Connection: close)",
  forwardMiBps: "1 MiB forwarding, MiB/s",
};

export interface Goal {
  readonly description: string;
  readonly ratio: number;
  readonly required: number;
  readonly met: boolean;
}

export function goals(medians: Readonly<Record<TargetName, Readonly<Record<Metric, number>>>>, rssPerConnectionBytes: number | undefined): Goal[] {
  const ratio = (metric: Metric, of: TargetName) => medians.tuned[metric] / medians[of][metric];
  const goal = (description: string, value: number, required: number, atMost = false): Goal => ({ description, ratio: value, required, met: atMost ? value <= required : value >= required });
  return [
    goal("tuned keep-alive req/s ≥ 1.0× nginx", ratio("keepAliveRps", "nginx"), 1.0),
    goal("tuned keep-alive req/s ≥ 2.5× seed", ratio("keepAliveRps", "seed"), 2.5),
    goal("tuned new sessions/s ≥ 1.0× nginx", ratio("sessionRate", "nginx"), 1.0),
    goal("tuned 1 MiB forwarding ≥ 1.2× nginx", ratio("forwardMiBps", "nginx"), 1.2),
    ...(rssPerConnectionBytes !== undefined ? [goal("idle connections ≤ 2 kB RSS each (tuned haproxy)", rssPerConnectionBytes / 1000, 2, true)] : []),
  ];
}

export function markdownTable(summaries: Readonly<Record<TargetName, Readonly<Record<Metric, Summary>>>>, goalsMet: readonly Goal[], idle: string): string {
  const targets: TargetName[] = ["tuned", "seed", "nginx", "direct"];
  const fmt = (s: Summary) => `${Math.round(s.median).toLocaleString("en-US")} (${Math.round(s.min).toLocaleString("en-US")}–${Math.round(s.max).toLocaleString("en-US")})`;
  const rows = (Object.keys(METRIC_LABELS) as Metric[]).map((metric) => `| ${METRIC_LABELS[metric]} | ${targets.map((t) => fmt(summaries[t][metric])).join(" | ")} |`);
  return [
    "| median (min–max) | haproxy tuned | haproxy seed | nginx | direct to one backend |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    idle,
    "",
    "| target | measured | required | |",
    "|---|---|---|---|",
    ...goalsMet.map((g) => `| ${g.description} | ${g.ratio.toFixed(2)} | ${g.required} | ${g.met ? "met" : "**missed**"} |`),
  ].join("\n");
}

/** A grouped bar chart of the medians (relative to the tuned profile) with min–max whiskers. */
export function svgChart(summaries: Readonly<Record<TargetName, Readonly<Record<Metric, Summary>>>>): string {
  const targets: TargetName[] = ["tuned", "seed", "nginx", "direct"];
  const colors: Record<TargetName, string> = { tuned: "#2b7bb9", seed: "#c44e52", nginx: "#55a868", direct: "#8c8c8c" };
  const metrics = Object.keys(METRIC_LABELS) as Metric[];
  const width = 760;
  const height = 340;
  const chartTop = 40;
  const chartHeight = 220;
  const groupWidth = (width - 80) / metrics.length;
  const barWidth = groupWidth / (targets.length + 1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">haproxy-lab benchmarks: median, relative to haproxy tuned (whiskers: min–max)</text>`,
    `<line x1="60" y1="${chartTop + chartHeight}" x2="${width - 10}" y2="${chartTop + chartHeight}" stroke="#333"/>`,
  ];
  metrics.forEach((metric, m) => {
    const reference = summaries.tuned[metric].median || 1;
    const scaleMax = Math.max(...targets.map((t) => summaries[t][metric].max / reference), 1.2);
    const y = (value: number) => chartTop + chartHeight - (value / reference / scaleMax) * chartHeight;
    targets.forEach((target, t) => {
      const s = summaries[target][metric];
      const x = 70 + m * groupWidth + t * barWidth;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(s.median).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${(chartTop + chartHeight - y(s.median)).toFixed(1)}" fill="${colors[target]}"/>`);
      const cx = x + (barWidth - 4) / 2;
      parts.push(`<line x1="${cx.toFixed(1)}" y1="${y(s.max).toFixed(1)}" x2="${cx.toFixed(1)}" y2="${y(s.min).toFixed(1)}" stroke="#000"/>`);
      parts.push(`<text x="${cx.toFixed(1)}" y="${(y(s.median) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${(s.median / reference).toFixed(2)}</text>`);
    });
    parts.push(`<text x="${(70 + m * groupWidth + (targets.length * barWidth) / 2).toFixed(1)}" y="${chartTop + chartHeight + 18}" text-anchor="middle">${METRIC_LABELS[metric]}</text>`);
  });
  targets.forEach((target, t) => {
    parts.push(`<rect x="${80 + t * 160}" y="${height - 30}" width="12" height="12" fill="${colors[target]}"/><text x="${96 + t * 160}" y="${height - 20}">${target === "direct" ? "direct to one backend" : target === "nginx" ? "nginx" : `haproxy ${target}`}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
