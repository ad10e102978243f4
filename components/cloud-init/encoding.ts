/**
 * Bytes, encodings and sizes of cloud-config files (pure computation: node:zlib and Buffer only).
 *
 * cloud-init's write_files decodes `b64` with Python's `base64.b64decode` and `gz+b64` with
 * base64 then gunzip (cc_write_files.extract_contents); these helpers do the inverse and the same.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import type { WriteFile } from "./model";

/** EC2 refuses user-data over 16 KiB (raw, before the API's own base64). */
export const EC2_USER_DATA_LIMIT = 16_384;

/** The encodings the renderer emits; cloud-init also accepts aliases (`base64`, `gzip+base64` …). */
export type RenderedEncoding = "text/plain" | "b64" | "gz+b64";

/** The file's bytes as cloud-init will write them (text is UTF-8). */
export function contentBytes(content: WriteFile["content"]): Buffer {
  return typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * gzip with a fixed header (mtime 0, no file name) so the same bytes always give the same
 * user-data: a changed user-data would stop/start or replace the VM.
 */
export function gzipDeterministic(bytes: Uint8Array): Buffer {
  return gzipSync(bytes, { level: 9 });
}

// Characters PyYAML (cloud-init's reader) accepts in a stream, minus the ones YAML treats as line
// breaks (\r, U+0085, U+2028, U+2029: block scalars would normalise them) and the BOM.
const YAML_PRINTABLE = /^[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const YAML_REWRITTEN = /[\u2028\u2029\ufeff]/u;

/**
 * True when a text can go into the YAML as is and come out of PyYAML unchanged. Other text (CRLF
 * line ends, control characters) is rendered `b64` instead.
 */
export function isYamlSafeText(text: string): boolean {
  return YAML_PRINTABLE.test(text) && !YAML_REWRITTEN.test(text);
}

/** True when a string holds a lone UTF-16 surrogate, which no UTF-8 file can hold. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udfff]/u.test(text);
}

/** The YAML string for a file's content in the given encoding. */
export function encodeContent(content: WriteFile["content"], encoding: RenderedEncoding): string {
  switch (encoding) {
    case "text/plain":
      if (typeof content !== "string") throw new Error("binary content cannot be rendered as text/plain; use b64");
      if (!isYamlSafeText(content)) throw new Error("this text has characters YAML would rewrite (CR, control characters, U+2028 …); use b64");
      return content;
    case "b64":
      return contentBytes(content).toString("base64");
    case "gz+b64":
      return gzipDeterministic(contentBytes(content)).toString("base64");
  }
}

/** cloud-init's canonicalize_extraction: the decoding steps an `encoding:` value implies. */
export function extractionSteps(encoding: string | undefined): readonly ("base64" | "gunzip")[] {
  const name = (encoding ?? "").toLowerCase().trim();
  if (name === "gz" || name === "gzip") return ["gunzip"];
  if (["gz+base64", "gzip+base64", "gz+b64", "gzip+b64"].includes(name)) return ["base64", "gunzip"];
  if (name === "b64" || name === "base64") return ["base64"];
  // text/plain, empty, and (with a warning in cloud-init) anything unknown.
  return [];
}

/**
 * Decodes a write_files `content` the way cloud-init does. `content` is what YAML gave: a
 * string, or bytes for a `!!binary` scalar. Returns the bytes cloud-init writes.
 */
export function decodeContent(content: string | Uint8Array, encoding: string | undefined): Buffer {
  let bytes: Buffer = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  for (const step of extractionSteps(encoding)) {
    // Like Python's b64decode(validate=False): characters outside the alphabet (newlines) are skipped.
    bytes = step === "base64" ? Buffer.from(bytes.toString("latin1"), "base64") : gunzipSync(bytes);
  }
  return bytes;
}

/** `"0644"` → 0o644. Undefined for anything that is not 3-4 octal digits. */
export function parsePermissions(permissions: string): number | undefined {
  return /^[0-7]{3,4}$/.test(permissions) ? parseInt(permissions, 8) : undefined;
}

/** cloud-init's defaults for write_files entries (cc_write_files.DEFAULT_PERMS, distro default owner). */
export const DEFAULT_PERMISSIONS = "0644";
export const DEFAULT_OWNER = "root:root";
