/** Settings → hosts, addresses and URLs (pure). */
import { formatIpv4, parseCidr } from "./ipv4";
import { FIRST_HOST_OFFSET, FRONTEND_HOST_NAME } from "./settings";
import type { LabHost, LabSettings, LabTopology, LabUrls } from "./types";

export const LAB_HTTP_PORT = 80;
export const STATS_PATH = "/stats";

/** Persistence cookie values in server order, as in the seed: A, B, … Z, then AA, AB … */
export function cookieValue(index: number): string {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return index < 26 ? letters[index] : letters[Math.floor(index / 26) - 1] + letters[index % 26];
}

/**
 * Places the hosts in the subnet the way the seed does: the frontend at .20, then the web
 * backends, then the static backends (.21, .22, .23 for the seed). Settings must come from
 * `resolveLabSettings`, which guarantees they fit.
 */
export function planLabTopology(settings: LabSettings): LabTopology {
  const subnet = parseCidr(settings.subnetCidr);
  if (!subnet) throw new Error(`subnetCidr: ${settings.subnetCidr} is not an IPv4 CIDR (resolve settings with resolveLabSettings first)`);
  let offset = FIRST_HOST_OFFSET;
  const nextAddress = (): string => formatIpv4(subnet.network + offset++);

  const frontend: LabHost = { name: FRONTEND_HOST_NAME, role: "frontend", privateIp: nextAddress() };
  const withCookies = settings.cookieMode !== "none";
  const webServers: LabHost[] = settings.webServers.map((server, index) => ({
    name: server.name,
    role: "web",
    privateIp: nextAddress(),
    weight: server.weight,
    ...(withCookies ? { cookie: cookieValue(index) } : {}),
  }));
  const staticServers: LabHost[] = settings.staticServers.map((server) => ({
    name: server.name,
    role: "static",
    privateIp: nextAddress(),
    weight: server.weight,
  }));
  return {
    settings,
    frontend,
    webServers,
    staticServers,
    hosts: [frontend, ...webServers, ...staticServers],
    httpPort: LAB_HTTP_PORT,
    statsPath: STATS_PATH,
  };
}

/** The pages a student opens, under a base URL such as `http://203.0.113.7` (no trailing slash needed). */
export function labUrls(baseUrl: string, topology: LabTopology): LabUrls {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    frontend: `${base}/`,
    stats: `${base}${topology.statsPath}`,
    prueba: `${base}/prueba.php`,
    sesiones: `${base}/sesiones.php`,
    static: `${base}/static.html`,
  };
}
