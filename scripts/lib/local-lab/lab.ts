/**
 * The local lab: the seed's whole topology on one Linux machine, from the same plan and the same
 * files cloud-init writes on the VMs. Each host gets its own loopback address (192.168.1.21 →
 * 127.0.1.21) and the lab runs one haproxy (master-worker, for seamless reloads) and one
 * apache2 (+ mod_php on web hosts) per backend, each with its own run and log directories.
 * Everything started is recorded in `<labDir>/state.json` and stopped by PID.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { totalmem, userInfo } from "node:os";
import { applyWriteFiles } from "../../../components/cloud-init/apply";
import { parseUserData } from "../../../components/cloud-init/parse";
import { renderHaproxyConfig, sha512Crypt } from "../../../components/haproxy";
import { labUrls, renderLab, type LabTopology, type LabUrls, type RenderedLab } from "../../../components/lab";
import { LAB_PATHS } from "../../../components/lab/roles";
import { deriveMaxconn } from "../../../components/lab/limits";
import { localAddress, localizeHaproxyConfig, type LocalPlacement } from "../../../components/lab/localize";
import type { StackSettings } from "../../../infra/settings";
import { readRawStackConfig, stackSettingsFrom } from "../stack-config";
import { apacheConfig, PHP_MODULE } from "./apache";
import { parseStatsCsv } from "../stats-csv";
import { canBind, commandExists, isAlive, isListening, readPid, runSync, spawnDetached, stopProcess, waitFor } from "./processes";

export const STATE_FILE = "state.json";
export const DEFAULT_LOOPBACK_NET = "127.0.1";
export const HIGH_PORT = 8080;

export interface LabHostState {
  readonly name: string;
  readonly role: "frontend" | "web" | "static";
  readonly address: string;
  readonly port: number;
  readonly kind: "haproxy" | "apache2";
  readonly pidFile: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly hostRoot: string;
}

export interface LabState {
  readonly version: 1;
  readonly labDir: string;
  readonly createdAt: string;
  readonly loopbackNet: string;
  readonly port: number;
  /** The stack config the lab was planned from (for `lab apply`). */
  readonly config: Readonly<Record<string, string>>;
  readonly statsUser: string;
  /** Clear text, so `lab status` and the checks can log in; the file is 0600. */
  readonly statsPassword: string;
  readonly passwordSalt: string;
  /** HAProxy's global maxconn, derived from this machine's limits (or --maxconn). */
  readonly maxconn: number;
  readonly hosts: readonly LabHostState[];
  readonly urls: LabUrls;
}

export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabError";
  }
}

export type Progress = (line: string) => void;

export interface UpOptions {
  /** The project directory (holds Pulumi.<stack>.yaml). */
  readonly root: string;
  readonly labDir: string;
  readonly loopbackNet?: string;
  /** Force a port; default 80 when root and free on every host address, else 8080. */
  readonly port?: number;
  readonly stack?: string;
  readonly config?: readonly string[];
  readonly statsPassword?: string;
  /** Override HAProxy's global maxconn (default: derived from memory and the fd limit). */
  readonly maxconn?: number;
  /** Run haproxy without a request log (benchmarks). */
  readonly quiet?: boolean;
  readonly progress?: Progress;
}

export const REQUIRED_PACKAGES = [
  { command: "haproxy", package: "haproxy" },
  { command: "apache2", package: "apache2" },
  { file: PHP_MODULE, package: "libapache2-mod-php" },
  { command: "php", package: "php-cli" },
] as const;

/** Debian packages the local lab needs and this machine lacks. */
export function missingPackages(): string[] {
  return REQUIRED_PACKAGES.filter((p) => ("command" in p ? !commandExists(p.command) : !existsSync(p.file))).map((p) => p.package);
}

/** Whether every directory above `dir` lets other users through (apache's www-data must read the pages). */
export function traversableByOthers(dir: string): boolean {
  let current = resolve(dir);
  for (;;) {
    const parent = dirname(current);
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * The lab's directory: `.lab` in the project, unless we run as root from a directory www-data
 * cannot enter (a clone under /root), where it is /var/lib/haproxy-lab.
 */
export function defaultLabDir(projectRoot: string): string {
  const inProject = join(projectRoot, ".lab");
  if (!isRoot() || traversableByOthers(projectRoot)) return inProject;
  return "/var/lib/haproxy-lab";
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

export function readState(labDir: string): LabState | undefined {
  const file = join(labDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as LabState;
}

function writeState(state: LabState): void {
  const file = join(state.labDir, STATE_FILE);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Plans the lab from stack config, exactly as `npm run plan` and the stack do. */
export function planFromConfig(root: string, stack: string | undefined, config: readonly string[]): StackSettings {
  const raw = readRawStackConfig(root, stack, config);
  const { settings, problems } = stackSettingsFrom(raw);
  if (!settings) {
    throw new LabError(`the lab's config has problems:\n${problems.filter((p) => p.severity === "error").map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
  }
  return settings;
}

function renderForLab(topology: LabTopology, user: string, password: string, salt: string, maxconn: number): RenderedLab {
  return renderLab(topology, { user, passwordHash: sha512Crypt(password, salt) }, { maxconn });
}

/** maxconn for a lab on this machine: half the memory is the lab's, and the hard fd limit binds. */
export function localMaxconn(): number {
  const hard = Number(runSync("sh", ["-c", "ulimit -Hn"]).output.trim());
  const nofileHardLimit = Number.isFinite(hard) && hard > 0 ? hard : 1024;
  return deriveMaxconn({ memoryMiB: Math.floor(totalmem() / 2 ** 20 / 2), nofileHardLimit });
}

function hostDirs(labDir: string, name: string): { hostRoot: string; runDir: string; logDir: string } {
  return { hostRoot: join(labDir, "hosts", name), runDir: join(labDir, "run", name), logDir: join(labDir, "logs", name) };
}

async function choosePort(addresses: readonly string[], requested: number | undefined): Promise<number> {
  if (requested !== undefined) return requested;
  const candidates = isRoot() ? [80, HIGH_PORT, 18080, 28080] : [HIGH_PORT, 18080, 28080];
  for (const port of candidates) {
    const free = await Promise.all(addresses.map((address) => canBind(address, port)));
    if (free.every(Boolean)) return port;
  }
  throw new LabError(`no free port on ${addresses.join(", ")} (tried ${candidates.join(", ")}): stop what listens there or pass --port`);
}

/** Writes the localized haproxy.cfg through the apply script the VM uses (haproxy -c, atomic move). */
function installHaproxyConfig(host: LabHostState, configText: string, reload: "none" | "pid"): void {
  const staged = `${host.configFile}.staged`;
  writeFileSync(staged, configText, { mode: 0o600 });
  const applyScript = join(host.hostRoot, LAB_PATHS.applyScript);
  const result = runSync(applyScript, ["--staged", staged, "--target", host.configFile, "--reload", reload === "pid" ? `pid:${host.pidFile}` : "none"]);
  if (result.status !== 0) throw new LabError(`haproxy-lab-apply refused the configuration (exit ${result.status}):\n${result.output.trim()}`);
}

async function startApache(host: LabHostState): Promise<void> {
  const result = runSync("apache2", ["-f", host.configFile, "-k", "start"]);
  if (result.status !== 0) throw new LabError(`apache2 for ${host.name} did not start:\n${result.output.trim()}\nSee ${host.logFile}`);
  const up = await waitFor(async () => readPid(host.pidFile) !== undefined && (await isListening(host.address, host.port)), 15_000);
  if (!up) throw new LabError(`apache2 for ${host.name} is not listening on ${host.address}:${host.port} after 15 s; see ${host.logFile}`);
}

async function startHaproxy(host: LabHostState): Promise<void> {
  spawnDetached("haproxy", ["-W", "-f", host.configFile], host.logFile);
  const up = await waitFor(async () => readPid(host.pidFile) !== undefined && (await isListening(host.address, host.port)), 15_000);
  if (!up) throw new LabError(`haproxy is not listening on ${host.address}:${host.port} after 15 s; see ${host.logFile}`);
}

export async function startHostProcess(host: LabHostState): Promise<void> {
  if (host.kind === "apache2") await startApache(host);
  else await startHaproxy(host);
}

/** Stops one host's process by the PID it recorded; waits until it is gone. */
export async function stopHostProcess(host: LabHostState): Promise<boolean> {
  const pid = readPid(host.pidFile);
  if (pid === undefined || !isAlive(pid)) return false;
  await stopProcess(pid, 8000);
  rmSync(host.pidFile, { force: true });
  return true;
}

/** Fetches the stats CSV (with basic auth) and returns `backend/server → status`. */
export async function serverStates(state: LabState): Promise<Map<string, string>> {
  const response = await fetch(`${state.urls.stats};csv`, {
    headers: { authorization: `Basic ${Buffer.from(`${state.statsUser}:${state.statsPassword}`).toString("base64")}` },
    signal: AbortSignal.timeout(3000),
  });
  if (response.status !== 200) throw new LabError(`the stats CSV answered ${response.status}`);
  return new Map(parseStatsCsv(await response.text()).map((row) => [`${row.backend}/${row.server}`, row.status]));
}

async function waitHealthy(state: LabState, timeoutMs: number): Promise<Map<string, string>> {
  let last = new Map<string, string>();
  const ok = await waitFor(async () => {
    try {
      last = await serverStates(state);
      return last.size > 0 && [...last.values()].every((status) => status.startsWith("UP"));
    } catch {
      return false;
    }
  }, timeoutMs, 250);
  if (!ok) throw new LabError(`the lab did not become healthy within ${Math.round(timeoutMs / 1000)} s: ${[...last].map(([k, v]) => `${k} ${v}`).join(", ") || "stats unreachable"}`);
  return last;
}

function healthTimeoutMs(settings: StackSettings): number {
  const inter = Number(/^(\d+)/.exec(settings.lab.healthCheck.inter)?.[1] ?? 10) * (settings.lab.healthCheck.inter.endsWith("ms") ? 1 : 1000);
  return Math.max(20_000, inter * (settings.lab.healthCheck.rise + 1) + 10_000);
}

/** Brings the lab up; on any failure stops what it started and rethrows. */
export async function upLab(options: UpOptions): Promise<LabState> {
  const progress = options.progress ?? (() => undefined);
  const missing = missingPackages();
  if (missing.length > 0) throw new LabError(`missing Debian packages: ${missing.join(" ")}. Install them: sudo apt-get install -y ${missing.join(" ")}`);
  const existing = readState(options.labDir);
  if (existing && existing.hosts.some((h) => { const pid = readPid(h.pidFile); return pid !== undefined && isAlive(pid); })) {
    throw new LabError(`a lab is already running from ${options.labDir}: run \`npm run lab -- down\` first (or status to see it).`);
  }
  const settings = planFromConfig(options.root, options.stack, options.config ?? []);
  const topology = settings.topology;
  const loopbackNet = options.loopbackNet ?? DEFAULT_LOOPBACK_NET;
  const addresses = topology.hosts.map((host) => localAddress(host.privateIp, { loopbackNet, port: 0 }));
  const port = await choosePort(addresses, options.port);
  const placement: LocalPlacement = { loopbackNet, port };
  const statsPassword = options.statsPassword ?? randomBytes(12).toString("base64url");
  const passwordSalt = randomBytes(12).toString("base64").replace(/\+/g, ".").slice(0, 16);
  progress(`Planning: ${topology.hosts.map((h) => `${h.name} ${h.privateIp} → ${localAddress(h.privateIp, placement)}:${port}`).join(", ")}`);
  const maxconn = options.maxconn ?? localMaxconn();
  const rendered = renderForLab(topology, settings.lab.statsUser, statsPassword, passwordSalt, maxconn);

  rmSync(options.labDir, { recursive: true, force: true });
  mkdirSync(options.labDir, { recursive: true, mode: 0o755 });
  const root = isRoot();
  if (root && !traversableByOthers(options.labDir)) {
    throw new LabError(`apache2's children run as www-data and cannot enter ${options.labDir} (a parent directory is not world-traversable): use --lab-dir /var/lib/haproxy-lab`);
  }
  const hosts: LabHostState[] = rendered.hosts.map(({ host }) => {
    const dirs = hostDirs(options.labDir, host.name);
    const address = localAddress(host.privateIp, placement);
    const kind = host.role === "frontend" ? "haproxy" : "apache2";
    return {
      name: host.name,
      role: host.role,
      address,
      port,
      kind,
      pidFile: join(dirs.runDir, kind === "haproxy" ? "haproxy.pid" : "apache2.pid"),
      configFile: join(dirs.runDir, kind === "haproxy" ? "haproxy.cfg" : "httpd.conf"),
      logFile: join(dirs.logDir, kind === "haproxy" ? "haproxy.log" : "error.log"),
      hostRoot: dirs.hostRoot,
    };
  });
  const state: LabState = {
    version: 1,
    labDir: options.labDir,
    createdAt: new Date().toISOString(),
    loopbackNet,
    port,
    config: readRawStackConfig(options.root, options.stack, options.config ?? []).values,
    statsUser: settings.lab.statsUser,
    statsPassword,
    passwordSalt,
    maxconn,
    hosts,
    urls: labUrls(`http://${hosts[0].address}${port === 80 ? "" : `:${port}`}`, topology),
  };
  writeState(state);

  try {
    for (const [index, rendHost] of rendered.hosts.entries()) {
      const host = hosts[index];
      const dirs = hostDirs(options.labDir, host.name);
      for (const dir of [dirs.hostRoot, dirs.runDir, dirs.logDir]) mkdirSync(dir, { recursive: true });
      // The very files cloud-init writes, decoded the way cloud-init decodes them.
      await applyWriteFiles(parseUserData(rendHost.userData), dirs.hostRoot);
      if (host.kind === "apache2") {
        const sessions = join(dirs.runDir, "sessions");
        mkdirSync(sessions, { recursive: true, mode: 0o700 });
        const runAsUser = root ? "www-data" : undefined;
        if (runAsUser) {
          const { uid, gid } = userIds(runAsUser);
          chownSync(sessions, uid, gid);
          chownSync(dirs.logDir, uid, gid);
        }
        writeFileSync(host.configFile, apacheConfig({ hostName: host.name, listenAddress: host.address, port, hostRoot: dirs.hostRoot, runDir: dirs.runDir, logDir: dirs.logDir, php: host.role === "web", ...(runAsUser ? { runAsUser } : {}) }));
        progress(`Starting apache2 for ${host.name} on ${host.address}:${port}${host.role === "web" ? " (mod_php)" : ""}`);
        await startApache(host);
      }
    }
    const frontend = hosts[0];
    const local = localizeHaproxyConfig(rendered.haproxy, topology, placement, { runDir: hostDirs(options.labDir, frontend.name).runDir, ...(options.quiet ? { quiet: true } : {}) });
    progress(`Checking haproxy.cfg with haproxy -c through haproxy-lab-apply, then starting haproxy on ${frontend.address}:${port}`);
    installHaproxyConfig(frontend, renderHaproxyConfig(local), "none");
    await startHaproxy(frontend);
    progress("Waiting until every server is UP on the stats page…");
    await waitHealthy(state, healthTimeoutMs(settings));
  } catch (error) {
    progress("Start failed: stopping what was started.");
    await downLab(options.labDir);
    throw error;
  }
  return state;
}

function userIds(name: string): { uid: number; gid: number } {
  const result = runSync("id", ["-u", name]);
  const group = runSync("id", ["-g", name]);
  if (result.status !== 0) throw new LabError(`user ${name} does not exist (apache2's package creates it)`);
  return { uid: Number(result.output.trim()), gid: Number(group.output.trim()) };
}

/** Stops every process the lab recorded (frontend first, so no request hits a dying backend). */
export async function downLab(labDir: string, progress: Progress = () => undefined): Promise<string[]> {
  const state = readState(labDir);
  if (!state) return [];
  const stopped: string[] = [];
  for (const host of state.hosts) {
    if (await stopHostProcess(host)) {
      stopped.push(host.name);
      progress(`Stopped ${host.kind} for ${host.name}`);
    }
  }
  return stopped;
}

export interface HostStatus {
  readonly name: string;
  readonly role: string;
  readonly endpoint: string;
  readonly pid?: number;
  readonly running: boolean;
  readonly listening: boolean;
}

export async function labStatus(state: LabState): Promise<HostStatus[]> {
  return Promise.all(
    state.hosts.map(async (host) => {
      const pid = readPid(host.pidFile);
      const running = pid !== undefined && isAlive(pid);
      return { name: host.name, role: host.role, endpoint: `${host.address}:${host.port}`, ...(pid !== undefined ? { pid } : {}), running, listening: running && (await isListening(host.address, host.port)) };
    }),
  );
}

export function findHost(state: LabState, name: string): LabHostState {
  const host = state.hosts.find((h) => h.name === name);
  if (!host) throw new LabError(`no host "${name}" in this lab: hosts are ${state.hosts.map((h) => h.name).join(", ")}`);
  return host;
}

/**
 * Re-plans with changed config and applies it to the running lab through the same apply script
 * the VMs use, with a seamless master-worker reload. Only HAProxy's settings can change this way
 * (hosts, their files and the port stay); an invalid change is refused and the old config keeps
 * serving.
 */
export async function applyLab(labDir: string, root: string, overrides: readonly string[], progress: Progress = () => undefined): Promise<LabState> {
  const state = readState(labDir);
  if (!state) throw new LabError(`no lab in ${labDir}: start one with npm run lab`);
  const config = [...Object.entries(state.config).map(([key, value]) => `${key}=${value}`), ...overrides];
  const settings = planFromConfig(root, undefined, config);
  const names = settings.topology.hosts.map((h) => h.name).join(",");
  if (names !== state.hosts.map((h) => h.name).join(",")) {
    throw new LabError(`lab apply changes HAProxy's settings only; this change adds or removes hosts (${names}): run npm run lab -- down, then up with the new config`);
  }
  const rendered = renderForLab(settings.topology, settings.lab.statsUser, state.statsPassword, state.passwordSalt, state.maxconn);
  const frontend = state.hosts[0];
  const local = localizeHaproxyConfig(rendered.haproxy, settings.topology, { loopbackNet: state.loopbackNet, port: state.port }, { runDir: hostDirs(labDir, frontend.name).runDir });
  progress("Checking the new haproxy.cfg and reloading haproxy (master-worker, no dropped connections)…");
  installHaproxyConfig(frontend, renderHaproxyConfig(local), "pid");
  const next: LabState = { ...state, config: readRawStackConfig(root, undefined, config).values, statsUser: settings.lab.statsUser };
  writeState(next);
  return next;
}

/** The user the lab's processes run as, for messages. */
export function currentUser(): string {
  return userInfo().username;
}

export { type LabTopology };
