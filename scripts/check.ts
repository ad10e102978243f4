/**
 * npm run check -- --url URL [--stats-user U --stats-password P] [--json] [--control local|none]
 *                   [--stop-cmd TEMPLATE --start-cmd TEMPLATE] [--stack NAME] [--config key=value …]
 * The seed's exercises as PASS/FAIL checks against a running lab (local or on AWS).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { commandControl, expectedFromSettings, formatReport, runLabChecks, type BackendControl, type CheckResult } from "./lib/checks";
import { defaultLabDir, LabError, planFromConfig, readState } from "./lib/local-lab/lab";

const ROOT = resolve(__dirname, "..");
const CHECK_IDS: readonly CheckResult["id"][] = ["stats", "balancing", "sessions", "static", "keepalive", "failover"];

const HELP = `Usage: npm run check -- --url URL [options]

Runs the seed's exercises against a lab and says PASS or FAIL for each, with the evidence a student
would look at: balancing (prueba.php, weights, X-Forwarded-For), sessions (sesiones.php and the
persistence cookie), static routing (.png/.gif to the static backend), keep-alive, the stats page
(401 without credentials, every server listed) and failover (stop a web backend, watch it go DOWN
and come back UP). Exit status 0 when every check passes, 1 otherwise.

It sends requests to URL: point it at your own lab. What the lab should do (weights, cookie mode,
keep-alive mode…) comes from the same config the lab was planned from: --stack / --config.

Options:
  --url URL                 the frontend, e.g. http://203.0.113.7 (default: the local lab's)
  --stats-user U            stats page user (default: the local lab's, or admin)
  --stats-password P        stats page password (default: the local lab's)
  --stack NAME, --config key=value   the lab's settings (default: the local lab's, or the defaults)
  --control local|none      how the failover check stops a backend: the local lab, or not at all
  --stop-cmd T --start-cmd T   commands that stop/start a web backend; {host} is its name, passed
                            to the command as "$LAB_HOST" (e.g. --stop-cmd 'ssh -J admin@fe admin@{host} sudo systemctl stop apache2')
  --only ids                comma-separated subset of: ${CHECK_IDS.join(",")}
  --lab-dir DIR             the local lab's directory (default .lab)
  --json                    print the report as JSON
  -h, --help                this text
`;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: {
        url: { type: "string" },
        "stats-user": { type: "string" },
        "stats-password": { type: "string" },
        stack: { type: "string" },
        config: { type: "string", multiple: true },
        control: { type: "string" },
        "stop-cmd": { type: "string" },
        "start-cmd": { type: "string" },
        only: { type: "string" },
        "lab-dir": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`check: ${(error as Error).message}\nRun npm run check -- --help for usage.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const labDir = resolve(values["lab-dir"] ?? defaultLabDir(ROOT));
  const local = readState(labDir);
  const baseUrl = values.url ?? local?.urls.frontend;
  if (!baseUrl) {
    process.stderr.write("check: --url is required (no local lab is running to default to): e.g. --url http://203.0.113.7\n");
    return 2;
  }
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    process.stderr.write(`check: --url ${baseUrl} is not an http(s) URL.\n`);
    return 2;
  }
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean) as CheckResult["id"][] | undefined;
  const unknown = only?.filter((id) => !CHECK_IDS.includes(id));
  if (unknown && unknown.length > 0) {
    process.stderr.write(`check: --only ${unknown.join(",")}: unknown check; use ${CHECK_IDS.join(", ")}.\n`);
    return 2;
  }
  if ((values["stop-cmd"] === undefined) !== (values["start-cmd"] === undefined)) {
    process.stderr.write("check: --stop-cmd and --start-cmd go together.\n");
    return 2;
  }
  const useLocal = values.url === undefined && local !== undefined;
  const config = values.stack || values.config ? values.config ?? [] : useLocal ? Object.entries(local.config).map(([k, v]) => `${k}=${v}`) : [];
  const settings = planFromConfig(ROOT, values.stack, config);
  let control: "local" | "none" | BackendControl = useLocal ? "local" : "none";
  if (values.control === "local" || values.control === "none") control = values.control;
  else if (values.control !== undefined) {
    process.stderr.write(`check: --control ${values.control}: use local or none.\n`);
    return 2;
  }
  if (values["stop-cmd"] && values["start-cmd"]) control = commandControl(values["stop-cmd"], values["start-cmd"]);
  const statsUrl = `${baseUrl.replace(/\/+$/, "")}${settings.topology.statsPath}`;
  const statsUser = values["stats-user"] ?? (useLocal ? local.statsUser : settings.lab.statsUser);
  const statsPassword = values["stats-password"] ?? (useLocal ? local.statsPassword : undefined);
  const report = await runLabChecks(
    { baseUrl, statsUrl, statsUser, ...(statsPassword !== undefined ? { statsPassword } : {}), expected: expectedFromSettings(settings) },
    { control, labDir, ...(only ? { only } : {}), progress: values.json ? () => undefined : (line) => process.stderr.write(`  ${line}\n`) },
  );
  process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`check: ${error instanceof LabError ? error.message : (error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
