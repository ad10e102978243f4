/**
 * `#cloud-config` text → CloudConfig with every write_files entry decoded to the bytes cloud-init
 * would write (pure). The local lab and the tests apply *this*, not the model the text came from,
 * so what they serve is byte-for-byte what a VM gets from its user-data.
 */
import { parse } from "yaml";
import { decodeContent, extractionSteps } from "./encoding";
import type { CloudConfig, CloudUser, Command, WriteFile } from "./model";
import { CLOUD_CONFIG_HEADER } from "./render";

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function fail(path: string, message: string): never {
  throw new Error(`user-data ${path}: ${message}`);
}

function stringList(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) fail(path, "expected a list of strings");
  return value as string[];
}

function commands(value: unknown, path: string): Command[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(path, "expected a list of commands");
  return value.map((argv, index) => {
    // A string item is a shell line to cloud-init; the model only has argv arrays, so keep it as `sh -c`.
    if (typeof argv === "string") return ["sh", "-c", argv];
    return stringList(argv, `${path}[${index}]`) ?? fail(`${path}[${index}]`, "expected an argv list");
  });
}

/** cloud-init accepts permissions as an octal string or a (YAML 1.1 octal) integer. */
function permissions(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return `0${value.toString(8)}`;
  if (typeof value === "string") return value;
  return fail(path, `permissions must be an octal string like "0644"; got ${JSON.stringify(value)}`);
}

function writeFile(entry: unknown, index: number): WriteFile {
  const at = `write_files[${index}]`;
  if (!isRecord(entry)) fail(at, "expected a mapping with path and content");
  if (typeof entry.path !== "string") fail(`${at}.path`, "expected a string");
  const raw = entry.content ?? "";
  if (typeof raw !== "string" && !(raw instanceof Uint8Array)) fail(`${at}.content`, "expected a string or !!binary");
  const encoding = typeof entry.encoding === "string" ? entry.encoding : undefined;
  const bytes = decodeContent(raw, encoding);
  // Plain text stays a string; anything cloud-init decodes (or a !!binary scalar) becomes bytes.
  const decoded = extractionSteps(encoding).length === 0 && typeof raw === "string" ? raw : new Uint8Array(bytes);
  const normalized = encoding?.toLowerCase().trim();
  const known: WriteFile["encoding"] =
    normalized === "b64" || normalized === "base64" ? "b64"
    : normalized && normalized.startsWith("gz") ? "gz+b64"
    : undefined;
  const perms = permissions(entry.permissions, `${at}.permissions`);
  return {
    path: entry.path,
    content: decoded,
    ...(perms !== undefined ? { permissions: perms } : {}),
    ...(typeof entry.owner === "string" ? { owner: entry.owner } : {}),
    ...(known ? { encoding: known } : {}),
    ...(entry.defer === true ? { defer: true } : {}),
    ...(entry.append === true ? { append: true } : {}),
  };
}

function user(entry: unknown, index: number): "default" | CloudUser {
  if (entry === "default") return "default";
  if (!isRecord(entry) || typeof entry.name !== "string") return fail(`users[${index}]`, "expected \"default\" or a mapping with a name");
  const keys = stringList(entry.ssh_authorized_keys, `users[${index}].ssh_authorized_keys`);
  const groups = typeof entry.groups === "string" ? entry.groups.split(",").map((g) => g.trim()) : stringList(entry.groups, `users[${index}].groups`);
  return {
    name: entry.name,
    ...(groups ? { groups } : {}),
    ...(typeof entry.sudo === "string" ? { sudo: entry.sudo } : {}),
    ...(typeof entry.shell === "string" ? { shell: entry.shell } : {}),
    ...(typeof entry.lock_passwd === "boolean" ? { lock_passwd: entry.lock_passwd } : {}),
    ...(keys ? { ssh_authorized_keys: keys } : {}),
  };
}

/**
 * Parses user-data the way cloud-init reads it (YAML 1.1) and decodes write_files contents
 * (`b64`, `gz+b64` and their aliases; text stays a string). Keys the model does not know are
 * ignored. Throws naming the key when a known key has the wrong shape.
 */
export function parseUserData(text: string): CloudConfig {
  const firstLine = text.split("\n", 1)[0].trimEnd();
  if (firstLine !== CLOUD_CONFIG_HEADER) {
    throw new Error(`user-data must begin with "${CLOUD_CONFIG_HEADER}" on its first line; got ${JSON.stringify(firstLine.slice(0, 40))}`);
  }
  const doc: unknown = parse(text, { version: "1.1" });
  if (!isRecord(doc)) fail("(top level)", "expected a mapping");
  const files = doc.write_files;
  if (files !== undefined && files !== null && !Array.isArray(files)) fail("write_files", "expected a list");
  const users = doc.users;
  if (users !== undefined && users !== null && !Array.isArray(users)) fail("users", "expected a list");
  const manageEtcHosts = doc.manage_etc_hosts;
  return {
    ...(typeof doc.hostname === "string" ? { hostname: doc.hostname } : {}),
    ...(typeof manageEtcHosts === "boolean" || manageEtcHosts === "localhost" ? { manage_etc_hosts: manageEtcHosts } : {}),
    ...(Array.isArray(users) ? { users: users.map(user) } : {}),
    ...optional("ssh_authorized_keys", stringList(doc.ssh_authorized_keys, "ssh_authorized_keys")),
    ...optional("bootcmd", commands(doc.bootcmd, "bootcmd")),
    ...(typeof doc.package_update === "boolean" ? { package_update: doc.package_update } : {}),
    ...(typeof doc.package_upgrade === "boolean" ? { package_upgrade: doc.package_upgrade } : {}),
    ...optional("packages", stringList(doc.packages, "packages")),
    ...(Array.isArray(files) ? { write_files: files.map(writeFile) } : {}),
    ...optional("runcmd", commands(doc.runcmd, "runcmd")),
    ...(typeof doc.final_message === "string" ? { final_message: doc.final_message } : {}),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
