/** The HAProxy configuration model's public API: model types, validator, renderer, seed preset, crypt. */
export * from "./model";
export {
  validateHaproxyConfig,
  suggest,
  isIpAddress,
  isNetwork,
  isHostName,
  durationMilliseconds,
  logFormatProblem,
  NAME,
  FETCH_ARGUMENT,
  HEADER_NAME,
  FILE_PATH,
  URL_PATH,
  LOG_TARGET,
  CIPHER_LIST,
  SYSTEM_NAME,
  MAX_STRING_LENGTH,
  MAX_ACL_VALUES,
  MAX_CONDITION_TERMS,
} from "./validate";
export { renderHaproxyConfig, renderUnchecked, renderCondition, HaproxyConfigError, TIMEOUT_ORDER } from "./render";
export { token, text, word, cryptHash, tokenizeLine, splitWords, UnsafeWordError, CONTROL_CHARACTER, CRYPT_HASH, MAX_WORDS_PER_LINE } from "./quote";
export type { SplitProblem, SplitResult } from "./quote";
export type { SampleContext } from "./validate";
export { sha512Crypt, cryptSalt, CRYPT_SALT } from "./crypt";
export { ifAcl, unlessAcl, anyOf } from "./conditions";
export {
  seedLabHaproxyConfig,
  SEED_FRONTEND_ADDRESS,
  SEED_PORT,
  SEED_ADDRESSES,
  SEED_WEB_SERVERS,
  SEED_STATIC_SERVERS,
  SEED_STATIC_EXTENSIONS,
  SEED_WEB_BACKEND,
  SEED_STATIC_BACKEND,
  SEED_FRONTEND,
  SEED_STATS_URI,
  SEED_STATS_REALM,
  SEED_STATS_USER,
  SEED_STATS_PASSWORD,
  SEED_STATS_SALT,
  SEED_ERRORFILE_STATUSES,
  STATS_USERLIST,
  STATIC_ACL,
  TUNED,
} from "./seed";
export type { SeedLabOptions, SeedServerOption, SeedHealthCheckOption, SeedStatsOption } from "./seed";
