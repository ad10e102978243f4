/** The lab's HAProxy model, from the topology and the stats credentials (pure). */
import type { HaproxyConfig } from "../haproxy/model";
import { seedLabHaproxyConfig } from "../haproxy/seed";
import { serverMaxconn } from "./limits";
import type { LabTopology, StatsCredentialsHash } from "./types";

/**
 * The seed's configuration for this topology: the frontend binds the frontend host's address,
 * servers are the web/static hosts (named after them), and the stats page authenticates
 * against a userlist holding only the password's hash.
 */
export function labHaproxyConfig(topology: LabTopology, stats: StatsCredentialsHash, limits: { readonly maxconn?: number } = {}): HaproxyConfig {
  const { settings } = topology;
  const config = seedLabHaproxyConfig({
    frontendAddress: topology.frontend.privateIp,
    port: topology.httpPort,
    webServers: topology.webServers.map((host) => ({
      name: host.name,
      address: host.privateIp,
      weight: host.weight,
      ...(host.cookie ? { cookie: host.cookie } : {}),
    })),
    staticServers: topology.staticServers.map((host) => ({ name: host.name, address: host.privateIp, weight: host.weight })),
    staticExtensions: settings.staticExtensions,
    balance: settings.balance,
    cookieMode: settings.cookieMode,
    keepAlive: settings.keepAlive,
    healthCheck: settings.healthCheck,
    stats: { user: stats.user, password: { hashed: stats.passwordHash }, uri: topology.statsPath },
    profile: settings.profile,
    // The seed profile keeps the tutorial's uncapped servers: that is part of its lesson.
    ...(settings.profile === "tuned" ? { serverMaxconn: serverMaxconn() } : {}),
    ...(limits.maxconn !== undefined ? { maxconn: limits.maxconn } : {}),
  });
  // The seed caps every proxy at 2000 connections (defaults maxconn 2000); the tuned profile lets
  // the frontend use all the host can hold.
  if (limits.maxconn === undefined || settings.profile !== "tuned") return config;
  return { ...config, defaults: config.defaults.map((section) => ({ ...section, maxconn: limits.maxconn })) };
}
