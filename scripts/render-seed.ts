/**
 * npm run render-seed -- [options]: prints the seed lab's haproxy.cfg (HAProxy 2.x syntax), or the
 * problems that stop it from rendering.
 */
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { HaproxyConfigError, renderHaproxyConfig, seedLabHaproxyConfig, sha512Crypt, type SeedLabOptions } from "../components/haproxy";

const HELP = `Usage: npm run render-seed -- [options]

Prints the seed lab's haproxy.cfg (the tutorial's config, in HAProxy 2.x syntax).

Options:
  --profile seed|tuned          the tutorial's behaviour (default) or the tuned one
  --keep-alive MODE             httpclose (default) | http-server-close | http-keep-alive
  --cookie-mode MODE            prefix (default, PHPSESSID) | insert (SERVERID) | none
  --web NAME=WEIGHT@ADDRESS     a web server (repeatable); default backend1=60@192.168.1.21 backend2=45@192.168.1.22
  --frontend-address ADDRESS    default 192.168.1.20
  --static-ext .EXT             a static extension (repeatable); default .gif .png
  --stats-user USER             default admin
  --stats-password PASSWORD     hashed into a userlist (default: the seed's, inline, as in the tutorial)
  --check-path PATH             add option httpchk GET PATH
  -h, --help                    this text
`;

function fail(message: string): never {
  process.stderr.write(`render-seed: ${message}\nRun npm run render-seed -- --help for usage.\n`);
  process.exit(2);
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        profile: { type: "string" },
        "keep-alive": { type: "string" },
        "cookie-mode": { type: "string" },
        web: { type: "string", multiple: true },
        "frontend-address": { type: "string" },
        "static-ext": { type: "string", multiple: true },
        "stats-user": { type: "string" },
        "stats-password": { type: "string" },
        "check-path": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const webServers = values.web?.map((spec) => {
    const match = /^([^=@]+)=(\d+)@(.+)$/.exec(spec);
    if (!match) fail(`--web ${spec}: write NAME=WEIGHT@ADDRESS, e.g. backend1=60@192.168.1.21`);
    return { name: match[1], weight: Number(match[2]), address: match[3] };
  });
  const user = values["stats-user"] ?? "admin";
  const options: SeedLabOptions = {
    ...(values.profile ? { profile: values.profile as SeedLabOptions["profile"] } : {}),
    ...(values["keep-alive"] ? { keepAlive: values["keep-alive"] as SeedLabOptions["keepAlive"] } : {}),
    ...(values["cookie-mode"] ? { cookieMode: values["cookie-mode"] as SeedLabOptions["cookieMode"] } : {}),
    ...(webServers ? { webServers } : {}),
    ...(values["frontend-address"] ? { frontendAddress: values["frontend-address"] } : {}),
    ...(values["static-ext"] ? { staticExtensions: values["static-ext"] } : {}),
    ...(values["check-path"] ? { healthCheck: { path: values["check-path"] } } : {}),
    stats: values["stats-password"]
      ? { user, password: { hashed: sha512Crypt(values["stats-password"], randomBytes(12).toString("base64").replace(/[+=]/g, ".").slice(0, 16)) } }
      : { user, password: { insecure: "Venezuela21" } },
  };
  try {
    process.stdout.write(renderHaproxyConfig(seedLabHaproxyConfig(options)));
  } catch (error) {
    if (error instanceof HaproxyConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main();
