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
export { renderLab } from "./render";
export type { RenderLabOptions } from "./render";
export {
  LAB_PATHS,
  LAB_HOST_HEADER,
  WEB_DOCUMENTS,
  STATIC_DOCUMENTS,
  hostCloudConfig,
  frontendCloudConfig,
  webCloudConfig,
  staticCloudConfig,
  fillTemplate,
} from "./roles";
export type { LabContent, RoleOptions } from "./roles";
export { loadLabContent, LAB_CONTENT_DIR, APPLY_SCRIPT_PATH } from "./content";
export { deriveMaxconn, maxconnForInstanceType, EC2_INSTANCE_MEMORY_MIB } from "./limits";
export type { HostLimits } from "./limits";
