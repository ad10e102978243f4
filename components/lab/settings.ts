/**
 * Lab settings: defaults, profiles and validation. Pure: the stack config (infra/config.ts), the
 * local lab and the class scripts all pass user input through `resolveLabSettings`.
 *
 * Problem paths are the stack config keys (`webServers[1].weight`), so a message points at the
 * exact thing to change in `Pulumi.<stack>.yaml` or on the command line.
 */
import type { ConfigProblem } from "../haproxy/model";
import type {
  CookieMode,
  HealthCheckSetting,
  LabBalance,
  LabProfile,
  LabSettings,
  LabSettingsInput,
  ServerSetting,
} from "./types";
import type { HttpConnectionMode } from "../haproxy/model";
import { parseCidr } from "./ipv4";

export const LAB_PROFILES: readonly LabProfile[] = ["tuned", "seed"];
export const COOKIE_MODES: readonly CookieMode[] = ["prefix", "insert", "none"];
export const KEEP_ALIVE_MODES: readonly HttpConnectionMode[] = ["httpclose", "http-server-close", "http-keep-alive"];
export const LAB_BALANCES: readonly LabBalance[] = ["roundrobin", "static-rr", "leastconn", "first", "source", "random"];

/** The settings each profile implies when the user does not say otherwise. */
export const PROFILE_DEFAULTS: Readonly<Record<LabProfile, { keepAlive: HttpConnectionMode; healthCheck: HealthCheckSetting }>> = {
  // The tutorial: `option httpclose`, `check inter 10000` (rise 2 / fall 3 are HAProxy's defaults).
  seed: { keepAlive: "httpclose", healthCheck: { inter: "10s", rise: 2, fall: 3, path: "/index.html" } },
  // Measured in FIELD-NOTES: keep-alive and 1 s checks (fall 2, rise 2) detect a dead server in ~1.6 s.
  tuned: { keepAlive: "http-keep-alive", healthCheck: { inter: "1s", rise: 2, fall: 2, path: "/index.html" } },
};

/** The seed's lab: frontend `haproxy` at .20, backend1/backend2 at weights 60/45, backend3 static. */
export const DEFAULT_LAB_SETTINGS: LabSettings = {
  student: "student",
  subnetCidr: "192.168.1.0/24",
  webServers: [
    { name: "backend1", weight: 60 },
    { name: "backend2", weight: 45 },
  ],
  staticServers: [{ name: "backend3", weight: 50 }],
  staticExtensions: [".gif", ".png", ".jpg"],
  balance: "roundrobin",
  cookieMode: "prefix",
  keepAlive: PROFILE_DEFAULTS.tuned.keepAlive,
  healthCheck: PROFILE_DEFAULTS.tuned.healthCheck,
  statsUser: "admin",
  profile: "tuned",
};

/** Host name of the frontend, as in the seed's /etc/hosts. */
export const FRONTEND_HOST_NAME = "haproxy";
/** The frontend's address is the subnet's .20, backends follow (.21, .22 …), as in the seed. */
export const FIRST_HOST_OFFSET = 20;
export const MAX_WEB_SERVERS = 16;
export const MAX_STATIC_SERVERS = 4;

const HOST_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const STUDENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const STATS_USER = /^[A-Za-z0-9_.-]{1,32}$/;
const EXTENSION = /^\.[A-Za-z0-9]{1,10}$/;
const DURATION = /^([0-9]+)(us|ms|s|m|h|d)$/;
const CHECK_PATH = /^\/[A-Za-z0-9._~\/-]*$/;

function problem(path: string, message: string): ConfigProblem {
  return { severity: "error", path, message };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value);
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function durationMs(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const factors: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * factors[match[2]];
}

function checkServers(
  key: "webServers" | "staticServers",
  servers: readonly ServerSetting[],
  min: number,
  max: number,
  problems: ConfigProblem[],
): void {
  if (!Array.isArray(servers)) {
    problems.push(problem(key, `must be a JSON list like [{"name":"backend1","weight":60}]; got ${JSON.stringify(servers)}.`));
    return;
  }
  if (servers.length < min || servers.length > max) {
    problems.push(problem(key, `needs between ${min} and ${max} servers; got ${servers.length}. Add or remove entries.`));
  }
  servers.forEach((server, index) => {
    const at = `${key}[${index}]`;
    if (typeof server !== "object" || server === null) {
      problems.push(problem(at, `must be an object like {"name":"backend${index + 1}","weight":50}.`));
      return;
    }
    if (typeof server.name !== "string" || !HOST_NAME.test(server.name)) {
      problems.push(problem(`${at}.name`, `${JSON.stringify(server.name)} is not a usable host name: use 2-32 lower-case letters, digits and '-', starting with a letter (e.g. "backend${index + 1}").`));
    }
    if (!isInteger(server.weight, 0, 256)) {
      problems.push(problem(`${at}.weight`, `${JSON.stringify(server.weight)} is not a valid HAProxy weight: use an integer from 0 to 256 (0 takes the server out of rotation).`));
    }
  });
}

/**
 * Applies defaults and the profile to user input and validates the result. Returns every problem
 * at once; `settings` is present only when there is no error.
 */
export function resolveLabSettings(input: LabSettingsInput = {}): { settings?: LabSettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const profile = input.profile ?? DEFAULT_LAB_SETTINGS.profile;
  if (!oneOf(profile, LAB_PROFILES)) {
    problems.push(problem("profile", `${JSON.stringify(profile)} is not a profile: use one of ${LAB_PROFILES.join(", ")}.`));
  }
  const profileDefaults = PROFILE_DEFAULTS[oneOf(profile, LAB_PROFILES) ? profile : "tuned"];
  const settings: LabSettings = {
    student: input.student ?? DEFAULT_LAB_SETTINGS.student,
    subnetCidr: input.subnetCidr ?? DEFAULT_LAB_SETTINGS.subnetCidr,
    webServers: input.webServers ?? DEFAULT_LAB_SETTINGS.webServers,
    staticServers: input.staticServers ?? DEFAULT_LAB_SETTINGS.staticServers,
    staticExtensions: input.staticExtensions ?? DEFAULT_LAB_SETTINGS.staticExtensions,
    balance: input.balance ?? DEFAULT_LAB_SETTINGS.balance,
    cookieMode: input.cookieMode ?? DEFAULT_LAB_SETTINGS.cookieMode,
    keepAlive: input.keepAlive ?? profileDefaults.keepAlive,
    healthCheck: { ...profileDefaults.healthCheck, ...(input.healthCheck ?? {}) },
    statsUser: input.statsUser ?? DEFAULT_LAB_SETTINGS.statsUser,
    profile,
  };

  if (typeof settings.student !== "string" || !STUDENT_ID.test(settings.student)) {
    problems.push(problem("student", `${JSON.stringify(settings.student)} is not a usable student id: use 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit.`));
  }

  checkServers("webServers", settings.webServers, 1, MAX_WEB_SERVERS, problems);
  checkServers("staticServers", settings.staticServers, 1, MAX_STATIC_SERVERS, problems);
  if (Array.isArray(settings.webServers) && settings.webServers.length > 0 && settings.webServers.every((s) => s?.weight === 0)) {
    problems.push(problem("webServers", "every web server has weight 0, so HAProxy would send no request anywhere: give at least one a weight above 0."));
  }
  const seen = new Map<string, string>([[FRONTEND_HOST_NAME, "the frontend"]]);
  for (const key of ["webServers", "staticServers"] as const) {
    const list = settings[key];
    if (!Array.isArray(list)) continue;
    list.forEach((server, index) => {
      if (typeof server?.name !== "string") return;
      const previous = seen.get(server.name);
      if (previous) {
        problems.push(problem(`${key}[${index}].name`, `"${server.name}" is already used by ${previous}: every host needs its own name.`));
      } else {
        seen.set(server.name, `${key}[${index}]`);
      }
    });
  }

  const subnet = typeof settings.subnetCidr === "string" ? parseCidr(settings.subnetCidr) : undefined;
  if (!subnet) {
    problems.push(problem("subnetCidr", `${JSON.stringify(settings.subnetCidr)} is not an IPv4 CIDR block: use e.g. "192.168.1.0/24".`));
  } else if (subnet.network !== subnet.address) {
    problems.push(problem("subnetCidr", `${settings.subnetCidr} has host bits set: did you mean "${subnet.networkText}/${subnet.prefix}"?`));
  } else {
    const hostCount = 1 + (Array.isArray(settings.webServers) ? settings.webServers.length : 0) + (Array.isArray(settings.staticServers) ? settings.staticServers.length : 0);
    const lastOffset = FIRST_HOST_OFFSET + hostCount - 1;
    // AWS keeps the last address of a subnet (broadcast) for itself, as every IP network does.
    if (lastOffset > subnet.size - 2) {
      problems.push(problem("subnetCidr", `${settings.subnetCidr} has ${subnet.size} addresses but the lab places ${hostCount} hosts from .${FIRST_HOST_OFFSET} up to offset ${lastOffset}: use a larger block (a /24 fits every lab).`));
    }
  }

  if (!Array.isArray(settings.staticExtensions) || settings.staticExtensions.length === 0) {
    problems.push(problem("staticExtensions", `must be a non-empty JSON list like [".gif",".png"]; got ${JSON.stringify(settings.staticExtensions)}.`));
  } else {
    const seenExtensions = new Set<string>();
    settings.staticExtensions.forEach((extension, index) => {
      if (typeof extension !== "string" || !EXTENSION.test(extension)) {
        problems.push(problem(`staticExtensions[${index}]`, `${JSON.stringify(extension)} is not a file extension: write it with its dot, e.g. ".png".`));
      } else if (seenExtensions.has(extension.toLowerCase())) {
        problems.push(problem(`staticExtensions[${index}]`, `"${extension}" is listed twice (the seed has ".png" twice): remove the duplicate.`));
      } else {
        seenExtensions.add(extension.toLowerCase());
      }
    });
  }

  if (!oneOf(settings.balance, LAB_BALANCES)) {
    problems.push(problem("balance", `${JSON.stringify(settings.balance)} is not a balance algorithm the lab supports: use one of ${LAB_BALANCES.join(", ")}.`));
  }
  if (!oneOf(settings.cookieMode, COOKIE_MODES)) {
    problems.push(problem("cookieMode", `${JSON.stringify(settings.cookieMode)} is not a cookie mode: use prefix (the seed's, on PHPSESSID), insert (HAProxy adds SERVERID) or none.`));
  }
  if (!oneOf(settings.keepAlive, KEEP_ALIVE_MODES)) {
    problems.push(problem("keepAlive", `${JSON.stringify(settings.keepAlive)} is not a connection mode: use one of ${KEEP_ALIVE_MODES.join(", ")}.`));
  }

  const check = settings.healthCheck;
  if (typeof check.inter !== "string" || durationMs(check.inter) === undefined) {
    problems.push(problem("healthCheck.inter", `${JSON.stringify(check.inter)} is not a duration: write a whole number with a unit, e.g. "1s" or "500ms".`));
  } else {
    const ms = durationMs(check.inter) ?? 0;
    if (ms < 100 || ms > 3_600_000) {
      problems.push(problem("healthCheck.inter", `${check.inter} is outside 100ms..1h: checks that often overload the servers, that rarely never notice a failure.`));
    }
  }
  for (const key of ["rise", "fall"] as const) {
    if (!isInteger(check[key], 1, 20)) {
      problems.push(problem(`healthCheck.${key}`, `${JSON.stringify(check[key])} is not valid: use an integer from 1 to 20 (consecutive checks before a server changes state).`));
    }
  }
  if (typeof check.path !== "string" || !CHECK_PATH.test(check.path)) {
    problems.push(problem("healthCheck.path", `${JSON.stringify(check.path)} is not a plain URL path: use something like "/index.html" (letters, digits, / . _ ~ -).`));
  }

  if (typeof settings.statsUser !== "string" || !STATS_USER.test(settings.statsUser)) {
    problems.push(problem("statsUser", `${JSON.stringify(settings.statsUser)} is not a usable user name: use 1-32 letters, digits, '.', '_' or '-'.`));
  }

  return problems.some((p) => p.severity === "error") ? { problems } : { settings, problems };
}

/** One readable message for a list of problems (for CLIs and thrown errors). */
export function formatProblems(problems: readonly ConfigProblem[], keyPrefix = ""): string {
  return problems.map((p) => `  ${p.severity}: ${keyPrefix}${p.path}: ${p.message}`).join("\n");
}
