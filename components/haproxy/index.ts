/** The HAProxy configuration model's public API: model types, validator, renderer, seed preset. */
export * from "./model";
export { validateHaproxyConfig, suggest, isIpAddress, durationMilliseconds, NAME } from "./validate";
export { renderHaproxyConfig, renderUnchecked, renderCondition, HaproxyConfigError, TIMEOUT_ORDER } from "./render";
export { word, splitWords, CONTROL_CHARACTER } from "./quote";
export { sha512Crypt, CRYPT_SALT } from "./crypt";
export {
  seedLabHaproxyConfig,
  SEED_FRONTEND_ADDRESS,
  SEED_WEB_SERVERS,
  SEED_STATIC_SERVERS,
  SEED_STATIC_EXTENSIONS,
  SEED_WEB_BACKEND,
  SEED_STATIC_BACKEND,
  SEED_FRONTEND,
  STATS_USERLIST,
  STATIC_ACL,
  TUNED,
} from "./seed";
export type { SeedLabOptions, SeedServerOption } from "./seed";
