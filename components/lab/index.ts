/** The lab plan's public API (pure: no Pulumi, no I/O). */
export * from "./types";
export {
  resolveLabSettings,
  formatProblems,
  DEFAULT_LAB_SETTINGS,
  PROFILE_DEFAULTS,
  LAB_PROFILES,
  COOKIE_MODES,
  KEEP_ALIVE_MODES,
  LAB_BALANCES,
  FRONTEND_HOST_NAME,
} from "./settings";
export { planLabTopology, labUrls, cookieValue, LAB_HTTP_PORT, STATS_PATH } from "./topology";
export { labHaproxyConfig } from "./haproxy";
export { parseCidr, parseIpv4, formatIpv4, cidrContains, cidrsOverlap } from "./ipv4";
export type { Cidr } from "./ipv4";
