/**
 * npm run render-seed -- [options]: prints the seed lab's haproxy.cfg (HAProxy 2.4+ syntax) on
 * stdout, warnings on stderr; or, when the options make an invalid model, every problem on
 * stderr and exit code 1. Usage errors exit 2.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import {
  cryptSalt,
  HaproxyConfigError,
  renderHaproxyConfig,
  SEED_FRONTEND_ADDRESS,
  SEED_STATIC_SERVERS,
  SEED_STATS_PASSWORD,
  SEED_STATS_SALT,
  SEED_STATS_USER,
  SEED_WEB_SERVERS,
  seedLabHaproxyConfig,
  sha512Crypt,
  validateHaproxyConfig,
  type Duration,
  type SeedLabOptions,
  type SeedServerOption,
  type SeedStatsOption,
} from "../components/haproxy";

const HELP = `Usage: npm run render-seed -- [options]

Prints the seed lab's haproxy.cfg: the tutorial's HAProxy 1.4 config in HAProxy 2.4+ syntax
(timeout connect/client/server, the use_backend typo fixed, the stats password hashed).
Warnings go to stderr; an invalid combination prints every problem and exits 1.

Options:
  --profile seed|tuned            the tutorial's behaviour (default) or the measured tuned settings
  --keep-alive MODE               httpclose (seed default) | http-server-close | http-keep-alive
  --keep-alive-timeout DURATION   timeout http-keep-alive (default 3s, tuned 30s)
  --cookie-mode MODE              prefix (default, PHPSESSID) | insert (SERVERID) | none
  --balance ALGORITHM             roundrobin (default) | static-rr | leastconn | first | source | random
  --frontend-address ADDRESS      the frontend's address (default ${SEED_FRONTEND_ADDRESS})
  --port PORT                     frontend and backend port (default 80)
  --web NAME=WEIGHT[@ADDRESS]     a web server (repeatable); default backend1=60 backend2=45.
                                  Without @ADDRESS, servers take the addresses after the frontend's
                                  (.21, .22 …), static servers after the web ones
  --static NAME=WEIGHT[@ADDRESS]  a static server (repeatable); default static=50
  --static-ext .EXT               a static extension (repeatable); default .gif .png
  --check-inter DURATION          health check interval (default 10s, tuned 1s)
  --check-path PATH               add option httpchk: HEAD PATH HTTP/1.1
  --maxconn N                     global maxconn (default 4096)
  --stats-user USER               stats page user (default ${SEED_STATS_USER})
  --stats-password-env VAR        read the stats password from environment variable VAR
  --stats-password PASSWORD       the stats password (visible in the process list: prefer -env)
                                  Default: the tutorial's. The file holds only its SHA-512 hash.
  --salt SALT                     crypt salt (8-16 of [./A-Za-z0-9]); default random, or fixed for
                                  the tutorial's password so the default output is reproducible
  --inline-auth                   write the tutorial's clear-text 'stats auth user:password' instead
  -h, --help                      this text

Examples:
  npm run render-seed
  npm run render-seed -- --keep-alive http-server-close
  npm run render-seed -- --profile tuned --check-path /index.html --web backend1=60 --web backend2=45 --web backend4=30
`;

class UsageError extends Error {}

const ONE_OF = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} ${value}: use one of ${allowed.join(", ")}`);
  return value as T;
};

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} ${value}: write a whole number`);
  return Number(value);
}

/** "a.b.c.d" + n, for the default server addresses after the frontend's. */
function nextAddress(base: string, offset: number): string {
  const parts = base.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255) || parts[3] + offset > 254) {
    throw new UsageError(`cannot derive server addresses from --frontend-address ${base}: give each server one with NAME=WEIGHT@ADDRESS`);
  }
  return [...parts.slice(0, 3), parts[3] + offset].join(".");
}

function parseServers(flag: string, specs: readonly string[] | undefined, firstOffset: number, frontendAddress: string): SeedServerOption[] | undefined {
  return specs?.map((spec, index) => {
    const match = /^([^=@]+)=(\d+)(?:@(.+))?$/.exec(spec);
    if (!match) throw new UsageError(`--${flag} ${spec}: write NAME=WEIGHT or NAME=WEIGHT@ADDRESS, e.g. backend1=60@192.168.1.21`);
    return { name: match[1], weight: Number(match[2]), address: match[3] ?? nextAddress(frontendAddress, firstOffset + index) };
  });
}

function statsOption(values: { "stats-user"?: string; "stats-password"?: string; "stats-password-env"?: string; salt?: string; "inline-auth"?: boolean }): SeedStatsOption | undefined {
  const envName = values["stats-password-env"];
  let password = values["stats-password"];
  if (envName !== undefined) {
    password = process.env[envName];
    if (password === undefined || password === "") throw new UsageError(`--stats-password-env ${envName}: the environment variable is not set or empty`);
  }
  const inline = values["inline-auth"] === true;
  // Nothing asked: the preset's default (the tutorial's credentials, hashed with a fixed salt).
  if (password === undefined && !inline && values.salt === undefined && values["stats-user"] === undefined) return undefined;
  const user = values["stats-user"] ?? SEED_STATS_USER;
  const clear = password ?? SEED_STATS_PASSWORD;
  if (inline) return { user, password: { insecure: clear } };
  const salt = values.salt ?? (password === undefined ? SEED_STATS_SALT : cryptSalt(randomBytes(16)));
  try {
    return { user, password: { hashed: sha512Crypt(clear, salt) } };
  } catch (error) {
    throw new UsageError(`--salt ${salt}: ${(error as Error).message.replace(/^sha512Crypt: /, "")}`);
  }
}

/** Servers from --web/--static, or the seed's names and weights at addresses after the frontend's. */
function servers(flag: string, specs: readonly string[] | undefined, defaults: readonly SeedServerOption[], firstOffset: number, frontendAddress: string, moved: boolean): SeedServerOption[] | undefined {
  if (specs !== undefined) return parseServers(flag, specs, firstOffset, frontendAddress);
  if (!moved) return undefined;
  return defaults.map((server, index) => ({ ...server, address: nextAddress(frontendAddress, firstOffset + index) }));
}

function main(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        profile: { type: "string" },
        "keep-alive": { type: "string" },
        "keep-alive-timeout": { type: "string" },
        "cookie-mode": { type: "string" },
        balance: { type: "string" },
        "frontend-address": { type: "string" },
        port: { type: "string" },
        web: { type: "string", multiple: true },
        static: { type: "string", multiple: true },
        "static-ext": { type: "string", multiple: true },
        "check-inter": { type: "string" },
        "check-path": { type: "string" },
        maxconn: { type: "string" },
        "stats-user": { type: "string" },
        "stats-password": { type: "string" },
        "stats-password-env": { type: "string" },
        salt: { type: "string" },
        "inline-auth": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }

  let options: SeedLabOptions;
  try {
    const frontendAddress = values["frontend-address"] ?? SEED_FRONTEND_ADDRESS;
    const moved = values["frontend-address"] !== undefined;
    const webServers = servers("web", values.web, SEED_WEB_SERVERS, 1, frontendAddress, moved);
    const staticServers = servers("static", values.static, SEED_STATIC_SERVERS, 1 + (webServers ?? SEED_WEB_SERVERS).length, frontendAddress, moved || values.web !== undefined);
    const stats = statsOption(values);
    const inter = values["check-inter"] as Duration | undefined;
    const path = values["check-path"];
    const port = integer("port", values.port);
    const maxconn = integer("maxconn", values.maxconn);
    const profile = ONE_OF("profile", values.profile, ["seed", "tuned"] as const);
    const keepAlive = ONE_OF("keep-alive", values["keep-alive"], ["httpclose", "http-server-close", "http-keep-alive"] as const);
    const cookieMode = ONE_OF("cookie-mode", values["cookie-mode"], ["prefix", "insert", "none"] as const);
    const balance = ONE_OF("balance", values.balance, ["roundrobin", "static-rr", "leastconn", "first", "source", "random"] as const);
    options = {
      ...(profile ? { profile } : {}),
      ...(keepAlive ? { keepAlive } : {}),
      ...(values["keep-alive-timeout"] ? { keepAliveTimeout: values["keep-alive-timeout"] as Duration } : {}),
      ...(cookieMode ? { cookieMode } : {}),
      ...(balance ? { balance } : {}),
      ...(moved ? { frontendAddress } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(webServers ? { webServers } : {}),
      ...(staticServers ? { staticServers } : {}),
      ...(values["static-ext"] ? { staticExtensions: values["static-ext"] } : {}),
      ...(inter || path ? { healthCheck: { ...(inter ? { inter } : {}), ...(path ? { path } : {}) } } : {}),
      ...(maxconn !== undefined ? { maxconn } : {}),
      ...(stats ? { stats } : {}),
    };
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }

  const config = seedLabHaproxyConfig(options);
  try {
    const text = renderHaproxyConfig(config);
    for (const warning of validateHaproxyConfig(config).filter((p) => p.severity === "warning")) {
      process.stderr.write(`render-seed: warning: ${warning.path}: ${warning.message}\n`);
    }
    process.stdout.write(text);
    return 0;
  } catch (error) {
    if (error instanceof HaproxyConfigError) {
      process.stderr.write(`render-seed: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function usage(message: string): number {
  process.stderr.write(`render-seed: ${message}\nRun npm run render-seed -- --help for usage.\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
