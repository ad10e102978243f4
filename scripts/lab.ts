/**
 * npm run lab -- [up|down|status|stop HOST|start HOST|logs HOST|apply] [options]
 * The seed's lab on this machine, on loopback addresses, from the plan the AWS stack deploys.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatReport, runLabChecks, checkTargetFromState } from "./lib/checks";
import {
  applyLab,
  DEFAULT_LOOPBACK_NET,
  defaultLabDir,
  downLab,
  findHost,
  isRoot,
  LabError,
  labStatus,
  missingPackages,
  readState,
  serverStates,
  startHostProcess,
  stopHostProcess,
  upLab,
} from "./lib/local-lab/lab";
import { isLoopbackNet } from "../components/lab/localize";

const ROOT = resolve(__dirname, "..");

const HELP = `Usage: npm run lab -- [command] [options]

The seed's HAProxy lab on this machine: haproxy and one apache2 (+ PHP) per backend, each host on
its own loopback address (192.168.1.21 → 127.0.1.21), serving the very files the VMs' cloud-init
writes. No cloud, no containers.

Commands:
  up                 (default) plan, start every host, wait until healthy, print the URLs and
                     the stats credentials, then run the lab checks
  down               stop everything the lab started (by PID)
  status             hosts, PIDs and what the stats page says
  stop HOST          stop one host (the seed's "/etc/init.d/apache2 stop" exercise)
  start HOST         start it again
  logs HOST          print the host's logs
  apply              re-plan with --config changes and reload haproxy seamlessly; an invalid
                     change is refused and the running config keeps serving

Options:
  --stack NAME            plan from Pulumi.NAME.yaml (as npm run plan does)
  --config key=value      set a stack setting (repeatable), e.g. --config keepAlive=http-server-close
  --stats-password PW     the stats page's password (default: generated, printed)
  --port N                port for every host (default 80 as root when free, else 8080)
  --maxconn N             HAProxy's global maxconn (default: from this machine's memory and fd limit)
  --loopback 127.0.N      the loopback /24 the hosts map into (default ${DEFAULT_LOOPBACK_NET})
  --lab-dir DIR           where the lab keeps its files and state (default .lab; as root from a
                          directory www-data cannot enter, /var/lib/haproxy-lab)
  --no-check              skip the lab checks after up
  --json                  machine-readable status/check output
  -h, --help              this text

As root, missing Debian packages are installed (apt-get); otherwise the command to run is printed.
`;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function installPackages(): void {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new LabError(`the lab needs Debian packages that are missing: ${missing.join(" ")}\nInstall them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}`);
  }
  out(`Installing missing Debian packages: ${missing.join(" ")} (apt-get; this takes a minute)…`);
  // Keep Debian's postinst from starting apache2/haproxy on *:80: the lab starts its own.
  const policy = "/usr/sbin/policy-rc.d";
  const createdPolicy = !existsSync(policy);
  if (createdPolicy) writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...missing]]) {
      const result = spawnSync("apt-get", args, { stdio: "inherit", env, timeout: 900_000 });
      if (result.status !== 0) throw new LabError(`apt-get ${args.join(" ")} failed (exit ${result.status})`);
    }
  } finally {
    if (createdPolicy) rmSync(policy, { force: true });
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        stack: { type: "string" },
        config: { type: "string", multiple: true },
        "stats-password": { type: "string" },
        port: { type: "string" },
        maxconn: { type: "string" },
        loopback: { type: "string" },
        "lab-dir": { type: "string" },
        "no-check": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`lab: ${(error as Error).message}\nRun npm run lab -- --help for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(HELP);
    return 0;
  }
  const command = positionals[0] ?? "up";
  const labDir = resolve(values["lab-dir"] ?? defaultLabDir(ROOT));
  const loopbackNet = values.loopback ?? DEFAULT_LOOPBACK_NET;
  if (!isLoopbackNet(loopbackNet)) {
    process.stderr.write(`lab: --loopback ${loopbackNet} is not a loopback /24: write e.g. 127.0.9 (the lab only ever uses 127.0.0.0/8).\n`);
    return 2;
  }
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    process.stderr.write(`lab: --port ${values.port} is not a TCP port (1-65535).\n`);
    return 2;
  }
  if (values.maxconn !== undefined && !(Number.isInteger(Number(values.maxconn)) && Number(values.maxconn) >= 256)) {
    process.stderr.write(`lab: --maxconn ${values.maxconn} is not an integer of at least 256.\n`);
    return 2;
  }
  const needState = () => {
    const state = readState(labDir);
    if (!state) throw new LabError(`no lab in ${labDir}: start one with npm run lab`);
    return state;
  };
  const hostArg = () => {
    const name = positionals[1];
    if (!name) throw new LabError(`${command} needs a host name, e.g. npm run lab -- ${command} backend1`);
    return name;
  };

  switch (command) {
    case "up": {
      installPackages();
      let interrupted = false;
      const onSignal = () => {
        if (interrupted) return;
        interrupted = true;
        process.stderr.write("\nInterrupted: stopping the lab…\n");
        void downLab(labDir).then(() => process.exit(130));
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      const state = await upLab({
        root: ROOT,
        labDir,
        loopbackNet,
        ...(port !== undefined ? { port } : {}),
        ...(values.stack ? { stack: values.stack } : {}),
        config: values.config ?? [],
        ...(values["stats-password"] ? { statsPassword: values["stats-password"] } : {}),
        ...(values.maxconn !== undefined ? { maxconn: Number(values.maxconn) } : {}),
        progress: (line) => out(`  ${line}`),
      });
      out("");
      out(`The lab is up (${state.hosts.map((h) => `${h.name} ${h.address}`).join(", ")}):`);
      out(`  frontend   ${state.urls.frontend}`);
      out(`  balancing  ${state.urls.prueba}`);
      out(`  sessions   ${state.urls.sesiones}`);
      out(`  static     ${state.urls.static}`);
      out(`  stats      ${state.urls.stats}   user: ${state.statsUser}   password: ${state.statsPassword}`);
      out(`  stop a backend: npm run lab -- stop backend1    everything: npm run lab -- down`);
      if (values["no-check"]) return 0;
      out("");
      out("Running the lab checks (the seed's exercises)…");
      const report = await runLabChecks(checkTargetFromState(state, ROOT), { control: "local", labDir, progress: (line) => out(`  ${line}`) });
      out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
      return report.passed ? 0 : 1;
    }
    case "down": {
      const stopped = await downLab(labDir, (line) => out(`  ${line}`));
      out(stopped.length > 0 ? `Stopped ${stopped.length} process(es); nothing of the lab is running.` : "Nothing was running.");
      return 0;
    }
    case "status": {
      const state = needState();
      const hosts = await labStatus(state);
      let servers = new Map<string, string>();
      try {
        servers = await serverStates(state);
      } catch {
        // haproxy down: the table says so
      }
      if (values.json) {
        out(JSON.stringify({ urls: state.urls, statsUser: state.statsUser, hosts, servers: Object.fromEntries(servers) }, null, 2));
        return 0;
      }
      for (const host of hosts) {
        const stat = [...servers].filter(([key]) => key.endsWith(`/${host.name}`)).map(([key, status]) => `${key.split("/")[0]}: ${status}`).join(", ");
        out(`  ${host.name.padEnd(10)} ${host.role.padEnd(9)} ${host.endpoint.padEnd(18)} ${host.running ? `running (pid ${host.pid})` : "stopped"}${stat ? `   stats: ${stat}` : ""}`);
      }
      out(`  stats: ${state.urls.stats}  user: ${state.statsUser}  password: ${state.statsPassword}`);
      return 0;
    }
    case "stop": {
      const host = findHost(needState(), hostArg());
      out((await stopHostProcess(host)) ? `Stopped ${host.kind} on ${host.name}. Watch it turn DOWN (red) on the stats page.` : `${host.name} was not running.`);
      return 0;
    }
    case "start": {
      const host = findHost(needState(), hostArg());
      await startHostProcess(host);
      out(`Started ${host.kind} on ${host.name}; HAProxy's checks will mark it UP again.`);
      return 0;
    }
    case "logs": {
      const host = findHost(needState(), hostArg());
      const dir = join(labDir, "logs", host.name);
      for (const file of ["haproxy.log", "error.log", "access.log", "php.log"]) {
        const path = join(dir, file);
        if (existsSync(path)) {
          out(`==> ${path} <==`);
          out(readFileSync(path, "utf8").split("\n").slice(-200).join("\n"));
        }
      }
      return 0;
    }
    case "apply": {
      await applyLab(labDir, ROOT, values.config ?? [], (line) => out(`  ${line}`));
      out("Applied: haproxy reloaded with the new configuration.");
      return 0;
    }
    default:
      process.stderr.write(`lab: unknown command "${command}". Run npm run lab -- --help.\n`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`lab: ${error instanceof LabError ? error.message : (error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
