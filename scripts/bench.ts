/**
 * npm run bench: the seed's three factors of a load balancer (session rate, session concurrency,
 * data forwarding rate) plus keep-alive requests/s, through the local lab's haproxy (tuned and
 * seed profiles), against nginx (configured from the same plan) and direct to one backend.
 * Interleaved rounds, medians with min–max, bounded durations, loopback only.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { downLab, findHost, upLab, type LabState } from "./lib/local-lab/lab";
import { isAlive, readPid, sleep, stopProcess, waitFor, isListening } from "./lib/local-lab/processes";
import { nginxConfig } from "./lib/bench/nginx";
import { goals, markdownTable, parseWrk, summarize, svgChart, type Metric, type Summary, type TargetName } from "./lib/bench/report";

const ROOT = resolve(__dirname, "..");
const HELP = `Usage: npm run bench -- [--rounds 3] [--seconds 4] [--idle 5000] [--out bench/results]

Starts two local labs (tuned and seed profiles) and nginx on loopback, measures with wrk, writes
bench/results/<date>.json, .md and .svg, and stops everything it started. Takes ~4 minutes.
`;

function wrk(url: string, connections: number, seconds: number, extra: readonly string[] = []) {
  const host = new URL(url).hostname;
  if (!host.startsWith("127.")) throw new Error(`benchmarks only target loopback, not ${host}`);
  const output = execFileSync("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", ...extra, url], { encoding: "utf8", timeout: (seconds + 30) * 1000 });
  return parseWrk(output);
}

function rssKiB(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return sum + Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }, 0);
}

function children(pid: number): number[] {
  const result = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" });
  return result.stdout.split("\n").filter(Boolean).map(Number);
}

/** Opens `count` keep-alive connections, one request each, and holds them; bounded in time. */
async function holdIdleConnections(host: string, port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < count && Date.now() < deadline; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, () =>
        new Promise<Socket | undefined>((done) => {
          const socket = connect({ host, port });
          socket.setTimeout(10_000, () => done(undefined));
          socket.once("error", () => done(undefined));
          socket.once("connect", () => socket.write(`GET /bench-100.txt HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
          socket.once("data", () => done(socket));
        }),
      ),
    );
    for (const socket of batch) if (socket) sockets.push(socket);
  }
  return sockets;
}

async function idleCost(host: string, port: number, pids: () => number[], count: number): Promise<{ held: number; bytesPerConnection: number }> {
  const before = rssKiB(pids());
  const sockets = await holdIdleConnections(host, port, count);
  await sleep(1000);
  const after = rssKiB(pids());
  for (const socket of sockets) socket.destroy();
  return { held: sockets.length, bytesPerConnection: sockets.length > 0 ? ((after - before) * 1024) / sockets.length : 0 };
}

function timeCommand(args: readonly string[]): number {
  const started = Date.now();
  const result = spawnSync("node", args, { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  return (Date.now() - started) / 1000;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { rounds: { type: "string" }, seconds: { type: "string" }, idle: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const rounds = Number(values.rounds ?? 3);
  const seconds = Number(values.seconds ?? 4);
  const idleCount = Number(values.idle ?? 5000);
  const out = resolve(values.out ?? join(ROOT, "bench", "results"));
  const base = join(ROOT, ".lab", "bench");
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const labs: Partial<Record<"tuned" | "seed", { state: LabState; dir: string }>> = {};
  let nginxPid: number | undefined;
  const cleanup = async () => {
    if (nginxPid) await stopProcess(nginxPid);
    for (const lab of Object.values(labs)) if (lab) await downLab(lab.dir);
  };
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    for (const [profile, net] of [["tuned", "127.0.21"], ["seed", "127.0.22"]] as const) {
      log(`Starting the ${profile} lab on ${net}.x:8080…`);
      const dir = join(base, profile);
      const state = await upLab({ root: ROOT, labDir: dir, loopbackNet: net, port: 8080, config: [`profile=${profile}`], maxconn: idleCount + 2000, quiet: true });
      labs[profile] = { state, dir };
      for (const host of state.hosts.filter((h) => h.role !== "frontend")) {
        writeFileSync(join(host.hostRoot, "var/www/html/bench-100.txt"), `${"x".repeat(99)}\n`);
        writeFileSync(join(host.hostRoot, "var/www/html/bench-1m.bin"), Buffer.alloc(1024 * 1024, 7));
      }
    }
    const tuned = labs.tuned!.state;
    const runDir = join(base, "nginx");
    mkdirSync(runDir, { recursive: true });
    const threads = cpus().length;
    const upstreams = (role: "web" | "static") => tuned.hosts.filter((h) => h.role === role).map((h) => ({ address: h.address, port: h.port, weight: role === "web" ? (h.name === "backend1" ? 60 : 45) : 50 }));
    writeFileSync(join(runDir, "nginx.conf"), nginxConfig({ listenAddress: "127.0.23.20", port: 8080, web: upstreams("web"), static: upstreams("static"), staticExtensions: [".gif", ".png", ".jpg"], runDir, workers: threads, workerConnections: idleCount + 2000 }));
    const started = spawnSync("nginx", ["-c", join(runDir, "nginx.conf"), "-p", runDir, "-g", "daemon on;"], { encoding: "utf8" });
    if (started.status !== 0) throw new Error(`nginx did not start: ${started.stderr}`);
    await waitFor(() => readPid(join(runDir, "nginx.pid")) !== undefined, 5000);
    nginxPid = readPid(join(runDir, "nginx.pid"));
    await waitFor(() => isListening("127.0.23.20", 8080), 5000);

    const urls: Record<TargetName, string> = {
      tuned: `http://${tuned.hosts[0].address}:8080`,
      seed: `http://${labs.seed!.state.hosts[0].address}:8080`,
      nginx: "http://127.0.23.20:8080",
      direct: `http://${findHost(tuned, "backend1").address}:8080`,
    };
    const runs: Record<TargetName, Record<Metric, number[]>> = { tuned: { keepAliveRps: [], sessionRate: [], forwardMiBps: [] }, seed: { keepAliveRps: [], sessionRate: [], forwardMiBps: [] }, nginx: { keepAliveRps: [], sessionRate: [], forwardMiBps: [] }, direct: { keepAliveRps: [], sessionRate: [], forwardMiBps: [] } };
    const errors: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const target of ["tuned", "seed", "nginx", "direct"] as const) {
        log(`round ${round}/${rounds}: ${target}`);
        const keepAlive = wrk(`${urls[target]}/bench-100.txt`, 50, seconds);
        const close = wrk(`${urls[target]}/bench-100.txt`, 50, seconds, ["-H", "Connection: close"]);
        const forward = wrk(`${urls[target]}/bench-1m.bin`, 4, seconds);
        runs[target].keepAliveRps.push(keepAlive.requestsPerSecond);
        runs[target].sessionRate.push(close.requestsPerSecond);
        runs[target].forwardMiBps.push(forward.bytesPerSecond / 2 ** 20);
        for (const [name, r] of [["keep-alive", keepAlive], ["close", close], ["forward", forward]] as const) if (r.errors > 0) errors.push(`${target} ${name} round ${round}: ${r.errors} errors`);
      }
    }
    const summaries = Object.fromEntries(Object.entries(runs).map(([target, metrics]) => [target, Object.fromEntries(Object.entries(metrics).map(([metric, values]) => [metric, summarize(values)]))])) as Record<TargetName, Record<Metric, Summary>>;

    log(`Holding ${idleCount} idle keep-alive connections on each proxy…`);
    const haproxyMaster = readPid(findHost(tuned, "haproxy").pidFile)!;
    const haproxyIdle = await idleCost("127.0.21.20", 8080, () => children(haproxyMaster).filter(isAlive), idleCount);
    const nginxIdle = await idleCost("127.0.23.20", 8080, () => children(nginxPid!).filter(isAlive), idleCount);

    log("Timing npm run plan and class plan (40 students)…");
    const planSeconds = timeCommand(["scripts/plan.js"]);
    const classSeconds = timeCommand(["scripts/class.js", "plan", "--roster", "test/fixtures/roster-40.csv"]);

    const medians = Object.fromEntries(Object.entries(summaries).map(([t, m]) => [t, Object.fromEntries(Object.entries(m).map(([k, s]) => [k, s.median]))])) as Record<TargetName, Record<Metric, number>>;
    const goalResults = goals(medians, haproxyIdle.bytesPerConnection);
    const idleLine = `Idle keep-alive connections: haproxy tuned held ${haproxyIdle.held}/${idleCount} at ${(haproxyIdle.bytesPerConnection / 1000).toFixed(2)} kB RSS each (maxconn ${tuned.maxconn}); nginx held ${nginxIdle.held} at ${(nginxIdle.bytesPerConnection / 1000).toFixed(2)} kB each. npm run plan: ${planSeconds.toFixed(1)} s; class plan, 40 students: ${classSeconds.toFixed(1)} s.`;
    const date = new Date().toISOString().slice(0, 10);
    const versions = {
      haproxy: execFileSync("haproxy", ["-v"], { encoding: "utf8" }).split("\n")[0],
      nginx: spawnSync("nginx", ["-v"], { encoding: "utf8" }).stderr.trim(),
      apache2: execFileSync("apache2", ["-v"], { encoding: "utf8" }).split("\n")[0],
      wrk: spawnSync("wrk", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0],
      node: process.version,
    };
    mkdirSync(out, { recursive: true });
    const table = markdownTable(summaries, goalResults, idleLine);
    writeFileSync(join(out, `${date}.json`), `${JSON.stringify({ date, environment: { cores: threads, versions, rounds, secondsPerRun: seconds, connections: { keepAlive: 50, close: 50, forward: 4 }, nginxWorkers: threads, haproxyThreads: "default (one per core)" }, summaries, idle: { haproxy: haproxyIdle, nginx: nginxIdle, count: idleCount }, timings: { planSeconds, classPlan40Seconds: classSeconds }, goals: goalResults, errors }, null, 2)}\n`);
    writeFileSync(join(out, `${date}.md`), `# Benchmarks, ${date}\n\n${threads} cores, loopback; ${versions.haproxy}; ${versions.nginx}; wrk 1 thread, ${seconds} s per run, ${rounds} interleaved rounds.\n\n${table}\n${errors.length > 0 ? `\nErrors: ${errors.join("; ")}\n` : ""}`);
    writeFileSync(join(out, `${date}.svg`), svgChart(summaries));
    log(`\n${table}`);
    log(`\nWrote ${join(out, `${date}.json`)}, .md and .svg`);
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
