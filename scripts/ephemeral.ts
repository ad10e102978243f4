/**
 * npm run ephemeral -- run [--name-from-env VAR] [--ttl 2h] [--config key=value …]
 * npm run ephemeral -- reap
 * A lab for one CI run: create, up, wait until it answers, run the lab checks, and always destroy
 * and remove it (also on failure, SIGINT and SIGTERM). `reap` removes labs whose expiry passed.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PulumiBackend } from "./lib/automation/pulumi";
import { expectedFromSettings, formatReport, runLabChecks } from "./lib/checks";
import { ephemeralRun, ephemeralStackName, reapExpired } from "./lib/class/orchestrate";
import { planFromConfig } from "./lib/local-lab/lab";
import { waitFor } from "./lib/local-lab/processes";

const ROOT = resolve(__dirname, "..");

const HELP = `Usage: npm run ephemeral -- <run|reap> [options]

  run    create a uniquely named stack for this CI run, pulumi up, wait until the lab answers,
         run the lab checks against its outputs, then ALWAYS destroy and remove the stack (also
         on failure or SIGINT/SIGTERM). Exit 0 only when the checks passed and cleanup succeeded.
  reap   destroy and remove every ephemeral stack whose expiry (set at creation) has passed

Options:
  --name-from-env VAR   the CI run id's variable (default GITHUB_RUN_ID); the stack is ci-<id>
  --ttl DURATION        expiry for reap, e.g. 90m, 2h (default 2h)
  --config key=value    stack setting (repeatable), e.g. --config allowedCidrs='["203.0.113.0/24"]'
  --ready-timeout 10m   how long to wait for the lab to answer
  -h, --help            this text

Needs the Pulumi CLI, a logged-in backend and AWS credentials (see the README's CI walkthrough).
`;

function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        "name-from-env": { type: "string" },
        ttl: { type: "string" },
        config: { type: "string", multiple: true },
        "ready-timeout": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`ephemeral: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const backend = new PulumiBackend(ROOT);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (positionals[0] === "reap") {
    const results = await reapExpired(backend, Date.now, { onState: (id, state, detail) => log(`${id}: ${state}${detail ? ` (${detail})` : ""}`) });
    log(`Reaped ${results.filter((r) => r.state === "destroyed").length} expired stack(s).`);
    return results.every((r) => r.state === "destroyed") ? 0 : 1;
  }
  if (positionals[0] !== "run") {
    process.stderr.write(`ephemeral: unknown command ${positionals[0]}: use run or reap.\n`);
    return 2;
  }
  const variable = values["name-from-env"] ?? "GITHUB_RUN_ID";
  const runId = process.env[variable];
  if (!runId) {
    process.stderr.write(`ephemeral: $${variable} is not set: pass --name-from-env with the variable holding your CI run id.\n`);
    return 2;
  }
  const ttlMs = parseDuration(values.ttl ?? "2h");
  const readyMs = parseDuration(values["ready-timeout"] ?? "10m");
  if (ttlMs === undefined || readyMs === undefined) {
    process.stderr.write("ephemeral: --ttl and --ready-timeout take a number and a unit, e.g. 90m or 2h.\n");
    return 2;
  }
  const configEntries = values.config ?? [];
  const settings = planFromConfig(ROOT, undefined, configEntries); // refuses a bad config before anything is created
  const config = Object.fromEntries(
    configEntries.map((entry) => {
      const at = entry.indexOf("=");
      const key = entry.slice(0, at);
      return [key.includes(":") ? key : `haproxy-lab:${key}`, { value: entry.slice(at + 1) }];
    }),
  );
  const stack = ephemeralStackName(runId);
  const result = await ephemeralRun(backend, {
    stack,
    config: { "haproxy-lab:student": { value: stack }, ...config },
    ttlMs,
    now: Date.now,
    signals: process,
    log,
    waitUntilReady: async (outputs, signal) => {
      const url = String(outputs.frontendUrl);
      const ok = await waitFor(async () => {
        if (signal.aborted) return true;
        try {
          return (await fetch(url, { signal: AbortSignal.timeout(5000) })).ok;
        } catch {
          return false;
        }
      }, readyMs, 5000);
      if (!ok || signal.aborted) throw new Error(`${url} did not answer within ${values["ready-timeout"] ?? "10m"}`);
    },
    runChecks: async (outputs) => {
      const report = await runLabChecks(
        { baseUrl: String(outputs.frontendUrl), statsUrl: String(outputs.statsUrl), statsUser: String(outputs.statsUser), statsPassword: String(outputs.statsPassword), expected: expectedFromSettings(settings) },
        { control: "none", progress: log },
      );
      log(formatReport(report));
      return report.passed;
    },
  });
  log(`${stack}: ${result.outcome}${result.error ? ` (${result.error})` : ""}; ${result.cleanedUp ? "destroyed and removed" : "NOT cleaned up: ephemeral reap will remove it after its expiry"}`);
  return result.outcome === "passed" && result.cleanedUp ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`ephemeral: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
