/**
 * The seed's exercises as checks, each with a verdict and the evidence a student would look at.
 * A library: the `npm run check` CLI, `npm run lab`, the tests and the ephemeral CI labs use it.
 * Every loop is bounded in count and time.
 */
import { spawnSync } from "node:child_process";
import { Agent } from "node:http";
import { durationMilliseconds } from "../../../components/haproxy/validate";
import { LAB_HOST_HEADER } from "../../../components/lab/roles";
import type { StackSettings } from "../../../infra/settings";
import { findHost, planFromConfig, readState, serverStates as labServerStates, startHostProcess, stopHostProcess, type LabState } from "../local-lab/lab";
import { header, httpGet, setCookies, tryGet, type HttpResponse } from "./http";
import { parseStatsCsv, type StatsRow } from "../stats-csv";

export interface ExpectedServer {
  readonly name: string;
  readonly weight: number;
  readonly cookie?: string;
}

/** What the lab is supposed to do: taken from the same plan that built it. */
export interface ExpectedLab {
  readonly webServers: readonly ExpectedServer[];
  readonly staticServers: readonly string[];
  readonly staticExtensions: readonly string[];
  readonly cookieMode: "prefix" | "insert" | "none";
  readonly keepAlive: "httpclose" | "http-server-close" | "http-keep-alive";
  readonly balance: string;
  readonly healthCheck: { readonly inter: string; readonly rise: number; readonly fall: number };
}

export interface CheckTarget {
  /** e.g. http://127.0.1.20:8080 (no trailing slash needed). */
  readonly baseUrl: string;
  readonly statsUrl: string;
  readonly statsUser?: string;
  readonly statsPassword?: string;
  readonly expected: ExpectedLab;
}

/** How the failover check stops and starts a web backend. */
export interface BackendControl {
  stop(host: string): Promise<void>;
  start(host: string): Promise<void>;
}

export interface CheckResult {
  readonly id: "balancing" | "sessions" | "static" | "keepalive" | "stats" | "failover";
  readonly title: string;
  readonly passed: boolean;
  readonly skipped?: boolean;
  readonly evidence: readonly string[];
}

export interface CheckReport {
  readonly passed: boolean;
  readonly target: string;
  readonly results: readonly CheckResult[];
}

export interface CheckOptions {
  /** "local": the local lab in `labDir`; a BackendControl; or none (failover is skipped). */
  readonly control?: "local" | "none" | BackendControl;
  readonly labDir?: string;
  /** Requests for the balancing check (default 200). */
  readonly requests?: number;
  readonly only?: readonly CheckResult["id"][];
  readonly progress?: (line: string) => void;
}

export function expectedFromSettings(settings: StackSettings): ExpectedLab {
  const { topology, lab } = settings;
  return {
    webServers: topology.webServers.map((h) => ({ name: h.name, weight: h.weight ?? 0, ...(h.cookie ? { cookie: h.cookie } : {}) })),
    staticServers: topology.staticServers.map((h) => h.name),
    staticExtensions: lab.staticExtensions,
    cookieMode: lab.cookieMode,
    keepAlive: lab.keepAlive,
    balance: lab.balance,
    healthCheck: lab.healthCheck,
  };
}

export function checkTargetFromState(state: LabState, root: string): CheckTarget {
  const settings = planFromConfig(root, undefined, Object.entries(state.config).map(([k, v]) => `${k}=${v}`));
  return { baseUrl: state.urls.frontend, statsUrl: state.urls.stats, statsUser: state.statsUser, statsPassword: state.statsPassword, expected: expectedFromSettings(settings) };
}

const url = (target: CheckTarget, path: string) => `${target.baseUrl.replace(/\/+$/, "")}${path}`;
const servedBy = (response: HttpResponse) => header(response, LAB_HOST_HEADER) ?? "?";
const auth = (target: CheckTarget) => (target.statsUser !== undefined && target.statsPassword !== undefined ? { user: target.statsUser, password: target.statsPassword } : undefined);

function tally(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** Balancing: every web backend answers prueba.php; shares follow the weights; XFF is the client. */
export async function checkBalancing(target: CheckTarget, requests = 200): Promise<CheckResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const served: string[] = [];
  const evidence: string[] = [];
  let failures = 0;
  let xffOk = true;
  let firstBody = "";
  try {
    for (let i = 0; i < requests; i++) {
      const response = await tryGet(url(target, "/prueba.php"), { agent });
      if (response.status !== 200) {
        failures++;
        continue;
      }
      if (!firstBody) firstBody = response.body.trim();
      served.push(servedBy(response));
      const xff = /X-Forwarded-for: (.*)/i.exec(response.body)?.[1]?.trim();
      if (xff !== response.localAddress.replace(/^::ffff:/, "")) xffOk = false;
    }
  } finally {
    agent.destroy();
  }
  const counts = tally(served);
  const { webServers, balance } = target.expected;
  const total = webServers.reduce((sum, s) => sum + s.weight, 0);
  evidence.push(`curl ${url(target, "/prueba.php")} (first answer):`, ...firstBody.split("\n").map((line) => `  ${line}`));
  evidence.push(`${requests} requests, ${failures} failed; served: ${webServers.map((s) => `${s.name} ${counts.get(s.name) ?? 0}`).join(", ")}`);
  let passed = failures === 0 && xffOk;
  if (!xffOk) evidence.push("X-Forwarded-for did not always carry the client's address");
  const weighted = balance === "roundrobin" || balance === "static-rr";
  const tolerance = 0.05;
  for (const server of webServers) {
    const share = (counts.get(server.name) ?? 0) / Math.max(1, served.length);
    const expectedShare = total > 0 ? server.weight / total : 0;
    if (weighted) {
      const ok = Math.abs(share - expectedShare) <= tolerance;
      passed &&= ok;
      evidence.push(`${server.name}: weight ${server.weight} → expected ${(expectedShare * 100).toFixed(1)}%, got ${(share * 100).toFixed(1)}% (±${tolerance * 100} points) ${ok ? "ok" : "OFF"}`);
    } else if (server.weight > 0 && !counts.has(server.name) && balance !== "source" && balance !== "first") {
      passed = false;
      evidence.push(`${server.name} never answered (balance ${balance})`);
    }
  }
  if (!weighted) evidence.push(`balance ${balance}: shares are not proportional to weights by design; checked that the servers answer`);
  return { id: "balancing", title: "Balancing (prueba.php): weights and X-Forwarded-For", passed, evidence };
}

/** Sessions: sesiones.php sets the persistence cookie; replaying it keeps the server and counts visits. */
export async function checkSessions(target: CheckTarget): Promise<CheckResult> {
  const { cookieMode, webServers } = target.expected;
  const title = `Sessions (sesiones.php): cookie ${cookieMode} persistence`;
  if (cookieMode === "none") return { id: "sessions", title, passed: true, skipped: true, evidence: ["cookieMode none: HAProxy keeps no persistence, nothing to check"] };
  const evidence: string[] = [];
  const first = await tryGet(url(target, "/sesiones.php"));
  const cookies = setCookies(first).map((c) => c.split(";")[0]);
  evidence.push(`curl -i ${url(target, "/sesiones.php")} → ${first.status}, served by ${servedBy(first)}`, ...setCookies(first).map((c) => `  Set-Cookie: ${c}`));
  if (first.status !== 200 || !/primera vez/.test(first.body)) return { id: "sessions", title, passed: false, evidence: [...evidence, "the first visit did not say 'Esta es la primera vez…'"] };
  const sticky = cookies.find((c) => (cookieMode === "prefix" ? c.startsWith("PHPSESSID=") : c.startsWith("SERVERID=")));
  const server = webServers.find((s) => s.name === servedBy(first));
  const expectedValue = cookieMode === "prefix" ? new RegExp(`^PHPSESSID=${server?.cookie ?? "?"}~`) : new RegExp(`^SERVERID=${server?.cookie ?? "?"}$`);
  let passed = sticky !== undefined && expectedValue.test(sticky);
  evidence.push(passed ? `${sticky} names ${server?.name} (cookie ${server?.cookie})` : `expected a cookie matching ${expectedValue} for ${servedBy(first)}, got ${cookies.join("; ") || "none"}`);
  for (let visit = 1; visit <= 3 && passed; visit++) {
    const again = await tryGet(url(target, "/sesiones.php"), { headers: { cookie: cookies.join("; ") } });
    const count = /El numero de visitas es : (\d+)/.exec(again.body)?.[1];
    const ok = again.status === 200 && servedBy(again) === servedBy(first) && count === String(visit);
    evidence.push(`curl -b cookies … → ${servedBy(again)}: "El numero de visitas es : ${count ?? "?"}" ${ok ? "ok" : "WRONG"}`);
    passed &&= ok;
  }
  return { id: "sessions", title, passed, evidence };
}

/** Static routing: images by extension to the static backend, pages to the web backends. */
export async function checkStatic(target: CheckTarget): Promise<CheckResult> {
  const { staticServers, webServers, staticExtensions } = target.expected;
  const evidence: string[] = [];
  let passed = true;
  for (const path of ["/logo-med.png", "/logo-med.gif"].filter((p) => staticExtensions.some((e) => p.toLowerCase().endsWith(e.toLowerCase())))) {
    const response = await tryGet(url(target, path));
    const ok = response.status === 200 && staticServers.includes(servedBy(response)) && (header(response, "content-type") ?? "").startsWith("image/");
    evidence.push(`GET ${path} → ${response.status} ${header(response, "content-type") ?? ""}, ${LAB_HOST_HEADER}: ${servedBy(response)} ${ok ? "ok (static backend)" : "WRONG"}`);
    passed &&= ok;
  }
  const page = await tryGet(url(target, "/static.html"));
  const pageOk = page.status === 200 && webServers.some((s) => s.name === servedBy(page)) && page.body.includes("logo-med.png");
  evidence.push(`GET /static.html → ${page.status}, ${LAB_HOST_HEADER}: ${servedBy(page)} ${pageOk ? "ok (web backend, embeds logo-med.png)" : "WRONG"}`);
  passed &&= pageOk;
  return { id: "static", title: "Static files routed by ACL (url_static)", passed, evidence };
}

/** Keep-alive: httpclose closes after each response; the other modes reuse the client connection. */
export async function checkKeepAlive(target: CheckTarget): Promise<CheckResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const evidence: string[] = [];
  try {
    const first = await httpGet(url(target, "/index.html"), { agent, method: "HEAD" });
    const second = await httpGet(url(target, "/index.html"), { agent, method: "HEAD" });
    const connection = (header(first, "connection") ?? "").toLowerCase();
    evidence.push(`curl -vI url url: first response "Connection: ${connection || "(none)"}", second request ${second.reusedSocket ? "re-used the connection" : "opened a new connection"}`);
    const closes = target.expected.keepAlive === "httpclose";
    const passed = closes ? connection === "close" && !second.reusedSocket : second.reusedSocket && connection !== "close";
    evidence.push(closes ? "option httpclose: each response must close the connection" : `option ${target.expected.keepAlive}: the client's connection must be kept and re-used`);
    return { id: "keepalive", title: `Keep-alive (${target.expected.keepAlive})`, passed, evidence };
  } catch (error) {
    return { id: "keepalive", title: `Keep-alive (${target.expected.keepAlive})`, passed: false, evidence: [...evidence, (error as Error).message] };
  } finally {
    agent.destroy();
  }
}

export type { StatsRow } from "../stats-csv";

/** The servers' rows of the stats CSV. */
export async function statsRows(target: CheckTarget): Promise<StatsRow[]> {
  const credentials = auth(target);
  const response = await httpGet(`${target.statsUrl};csv`, credentials ? { auth: credentials } : {});
  if (response.status !== 200) throw new Error(`stats CSV answered ${response.status}`);
  return parseStatsCsv(response.body);
}

/** Stats: 401 without credentials, 200 with them; the CSV lists every server and its state. */
export async function checkStats(target: CheckTarget): Promise<CheckResult> {
  const evidence: string[] = [];
  const anonymous = await tryGet(target.statsUrl);
  evidence.push(`GET ${target.statsUrl} without credentials → ${anonymous.status}${header(anonymous, "www-authenticate") ? ` (${header(anonymous, "www-authenticate")})` : ""}`);
  const credentials = auth(target);
  if (!credentials) return { id: "stats", title: "Stats page behind basic auth", passed: false, evidence: [...evidence, "no --stats-user/--stats-password given"] };
  const logged = await tryGet(target.statsUrl, { auth: credentials });
  evidence.push(`… with ${credentials.user}:*** → ${logged.status}`);
  let passed = anonymous.status === 401 && logged.status === 200;
  try {
    const rows = await statsRows(target);
    const expected = [...target.expected.webServers.map((s) => s.name), ...target.expected.staticServers];
    const listed = rows.map((r) => r.server);
    const missing = expected.filter((name) => !listed.includes(name));
    evidence.push(`;csv export: ${rows.map((r) => `${r.backend}/${r.server} ${r.status}`).join(", ")}`);
    if (missing.length > 0) evidence.push(`missing from the stats: ${missing.join(", ")}`);
    passed &&= missing.length === 0;
  } catch (error) {
    evidence.push((error as Error).message);
    passed = false;
  }
  return { id: "stats", title: "Stats page behind basic auth, listing every server", passed, evidence };
}

async function serverStatus(target: CheckTarget, name: string): Promise<string> {
  try {
    return (await statsRows(target)).find((r) => r.server === name)?.status ?? "missing";
  } catch {
    return "stats unreachable";
  }
}

/**
 * Failover: stop a web backend; HAProxy marks it DOWN within its detection time (inter × fall),
 * requests keep succeeding on the others; start it again and it comes back UP.
 */
export async function checkFailover(target: CheckTarget, control: BackendControl | undefined, progress: (line: string) => void = () => undefined): Promise<CheckResult> {
  const title = "Failover: a web backend stops, the others keep serving, stats shows it DOWN then UP";
  if (!control) return { id: "failover", title, passed: true, skipped: true, evidence: ["no way to stop a backend: use --control local, or --stop-cmd/--start-cmd"] };
  const victim = target.expected.webServers.find((s) => s.weight > 0);
  if (!victim || target.expected.webServers.filter((s) => s.weight > 0).length < 2) return { id: "failover", title, passed: true, skipped: true, evidence: ["needs two web backends with a weight above 0"] };
  const inter = durationMilliseconds(target.expected.healthCheck.inter) ?? 10_000;
  const downWithin = inter * target.expected.healthCheck.fall + 3000;
  const upWithin = inter * target.expected.healthCheck.rise + 10_000;
  const evidence: string[] = [];
  progress(`failover: stopping ${victim.name}; HAProxy should mark it DOWN within ${(downWithin / 1000).toFixed(1)} s`);
  const stoppedAt = Date.now();
  await control.stop(victim.name);
  let during = 0;
  let failedDuring = 0;
  let detectedAt: number | undefined;
  while (Date.now() - stoppedAt < downWithin + 2000) {
    const response = await tryGet(url(target, "/prueba.php"), { timeoutMs: 3000 });
    during++;
    if (response.status !== 200) failedDuring++;
    if ((await serverStatus(target, victim.name)).startsWith("DOWN")) {
      detectedAt = Date.now();
      break;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  let passed = detectedAt !== undefined && detectedAt - stoppedAt <= downWithin;
  evidence.push(detectedAt ? `${victim.name} DOWN on the stats page after ${((detectedAt - stoppedAt) / 1000).toFixed(1)} s (limit ${(downWithin / 1000).toFixed(1)} s)` : `${victim.name} was not marked DOWN within ${(downWithin / 1000).toFixed(1)} s`);
  evidence.push(`while HAProxy was finding out: ${during} requests, ${failedDuring} failed${failedDuring > 0 ? " (the lesson: slow checks and no retry-on let clients see errors)" : ""}`);
  const after = [];
  for (let i = 0; i < 20; i++) after.push(await tryGet(url(target, "/prueba.php"), { timeoutMs: 3000 }));
  const afterFailed = after.filter((r) => r.status !== 200).length;
  const fromVictim = after.filter((r) => servedBy(r) === victim.name).length;
  evidence.push(`after detection: 20 requests, ${afterFailed} failed, served by ${[...tally(after.map(servedBy))].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  passed &&= afterFailed === 0 && fromVictim === 0;
  progress(`failover: starting ${victim.name} again`);
  await control.start(victim.name);
  const startedAt = Date.now();
  let upAt: number | undefined;
  while (Date.now() - startedAt < upWithin) {
    if ((await serverStatus(target, victim.name)).startsWith("UP")) {
      upAt = Date.now();
      break;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  evidence.push(upAt ? `${victim.name} UP again after ${((upAt - startedAt) / 1000).toFixed(1)} s` : `${victim.name} not UP within ${(upWithin / 1000).toFixed(1)} s`);
  passed &&= upAt !== undefined;
  return { id: "failover", title, passed, evidence };
}

/** The local lab as a BackendControl: stop/start the host's apache2 by the PID it recorded. */
export function localControl(labDir: string): BackendControl {
  const host = (name: string) => {
    const state = readState(labDir);
    if (!state) throw new Error(`no local lab in ${labDir}`);
    return findHost(state, name);
  };
  return {
    stop: async (name) => {
      await stopHostProcess(host(name));
    },
    start: (name) => startHostProcess(host(name)),
  };
}

/**
 * Commands run through `sh -c`; the host name reaches them as $LAB_HOST (a `{host}` in the
 * template becomes "$LAB_HOST"), never spliced into the command text.
 */
export function commandControl(stopCommand: string, startCommand: string): BackendControl {
  const run = (template: string, name: string) => {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`refusing host name ${JSON.stringify(name)}`);
    const result = spawnSync("sh", ["-c", template.replace(/\{host\}/g, '"$LAB_HOST"')], { env: { ...process.env, LAB_HOST: name }, encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) throw new Error(`"${template}" for ${name} exited ${result.status}: ${result.stderr}`);
  };
  return { stop: async (name) => run(stopCommand, name), start: async (name) => run(startCommand, name) };
}

export async function runLabChecks(target: CheckTarget, options: CheckOptions = {}): Promise<CheckReport> {
  const progress = options.progress ?? (() => undefined);
  const wanted = (id: CheckResult["id"]) => !options.only || options.only.includes(id);
  const control = options.control === "local" ? localControl(options.labDir ?? ".lab") : options.control === "none" || options.control === undefined ? undefined : options.control;
  const results: CheckResult[] = [];
  const steps: [CheckResult["id"], () => Promise<CheckResult>][] = [
    ["stats", () => checkStats(target)],
    ["balancing", () => checkBalancing(target, options.requests)],
    ["sessions", () => checkSessions(target)],
    ["static", () => checkStatic(target)],
    ["keepalive", () => checkKeepAlive(target)],
    ["failover", () => checkFailover(target, control, progress)],
  ];
  for (const [id, run] of steps) {
    if (!wanted(id)) continue;
    progress(`checking ${id}…`);
    try {
      results.push(await run());
    } catch (error) {
      results.push({ id, title: id, passed: false, evidence: [`the check itself failed: ${(error as Error).message}`] });
    }
  }
  return { passed: results.every((r) => r.passed), target: target.baseUrl, results };
}

export function formatReport(report: CheckReport): string {
  const lines: string[] = [];
  for (const result of report.results) {
    lines.push(`${result.skipped ? "SKIP" : result.passed ? "PASS" : "FAIL"}  ${result.title}`);
    for (const line of result.evidence) lines.push(`      ${line}`);
  }
  const failed = report.results.filter((r) => !r.passed).length;
  lines.push("", failed === 0 ? `All ${report.results.length} checks passed.` : `${failed} of ${report.results.length} checks failed.`);
  return lines.join("\n");
}

export { labServerStates };
