/** cloud-init: typed cloud-config, its renderer (≤ 16 KiB user-data), parser and write_files applier. */
export * from "./model";
export { validateCloudConfig, CloudConfigError } from "./validate";
export {
  renderUserData,
  renderUserDataDetailed,
  UserDataTooLargeError,
  CLOUD_CONFIG_HEADER,
} from "./render";
export type { RenderUserDataOptions, RenderedUserData } from "./render";
export { parseUserData } from "./parse";
export { applyWriteFiles, resolveUnderRoot, writeOrder } from "./apply";
export type { ApplyWriteFilesOptions } from "./apply";
export {
  EC2_USER_DATA_LIMIT,
  DEFAULT_OWNER,
  DEFAULT_PERMISSIONS,
  byteLength,
  contentBytes,
  decodeContent,
  encodeContent,
  gzipDeterministic,
  parsePermissions,
} from "./encoding";
export type { RenderedEncoding } from "./encoding";
