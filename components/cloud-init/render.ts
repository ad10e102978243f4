/**
 * CloudConfig → `#cloud-config` user-data, with the `yaml` library (no hand-built YAML).
 *
 * Rendering is deterministic. Top-level keys come in the order cloud-init acts on them:
 * hostname, manage_etc_hosts, users, ssh_authorized_keys, bootcmd, package_update,
 * package_upgrade, packages, write_files, runcmd, final_message. A write_files entry renders
 * path, permissions, owner, encoding, defer, append, then content, so a reviewer reads what a file
 * is before its body. Text files are YAML literal blocks (readable in review); bytes, and text YAML
 * cannot carry verbatim (CR line ends, control characters), are `b64`. The renderer parses its
 * own output and refuses to return anything that does not read back as the model.
 *
 * The YAML is emitted with the YAML 1.1 schema because cloud-init reads it with PyYAML (1.1):
 * under 1.1 `on`, `yes`, `0644` or `1:2` are booleans and numbers, so they must be quoted, which
 * a 1.2 emitter would not do.
 *
 * EC2 caps user-data at 16 KiB. The renderer measures the UTF-8 size and, when over the limit,
 * re-encodes the largest files with `gz+b64` one at a time until it fits, or throws
 * `UserDataTooLargeError` naming the host and both sizes.
 */
import { Document, isSeq, parse } from "yaml";
import { byteLength, EC2_USER_DATA_LIMIT, encodeContent, isYamlSafeText, type RenderedEncoding } from "./encoding";
import type { CloudConfig, CloudUser, WriteFile } from "./model";
import { CloudConfigError, validateCloudConfig } from "./validate";

export const CLOUD_CONFIG_HEADER = "#cloud-config";

export interface RenderUserDataOptions {
  /** Names the host in errors (`backend1`). */
  readonly host: string;
  /** Byte limit; default EC2's 16384. */
  readonly limit?: number;
}

export interface RenderedUserData {
  readonly userData: string;
  /** UTF-8 size of `userData`. */
  readonly bytes: number;
  readonly limit: number;
  /** Size with every file in its natural encoding (text plain, binary b64), before any compression. */
  readonly uncompressedBytes: number;
  /** The encoding used for each write_files entry, in order. */
  readonly encodings: readonly RenderedEncoding[];
  /** Paths the renderer compressed with gz+b64 to fit the limit, in the order it chose them. */
  readonly compressed: readonly string[];
}

export class UserDataTooLargeError extends Error {
  constructor(
    readonly host: string,
    /** Size before compression. */
    readonly bytes: number,
    /** Size after compressing every file gzip shrinks (gz+b64). */
    readonly compressedBytes: number,
    readonly limit: number,
  ) {
    super(
      `user-data for host "${host}" is ${bytes} bytes, and still ${compressedBytes} bytes after compressing every file gzip shrinks (gz+b64); ` +
        `EC2 accepts at most ${limit} bytes. Ship fewer or smaller files to this host, or fetch large ones from a bucket at boot.`,
    );
    this.name = "UserDataTooLargeError";
  }
}

/**
 * The encoding a file gets when nothing forces compression: plain text when YAML carries it
 * verbatim, b64 for bytes and for text with CR line ends or control characters.
 */
function naturalEncoding(file: WriteFile): RenderedEncoding {
  if (file.encoding) return file.encoding;
  return typeof file.content === "string" && isYamlSafeText(file.content) ? "text/plain" : "b64";
}

function userNode(user: "default" | CloudUser): unknown {
  if (user === "default") return "default";
  return compact({
    name: user.name,
    groups: user.groups ? [...user.groups] : undefined,
    sudo: user.sudo,
    shell: user.shell,
    lock_passwd: user.lock_passwd,
    ssh_authorized_keys: user.ssh_authorized_keys ? [...user.ssh_authorized_keys] : undefined,
  });
}

function writeFileNode(file: WriteFile, encoding: RenderedEncoding): Record<string, unknown> {
  return compact({
    path: file.path,
    permissions: file.permissions,
    owner: file.owner,
    // text/plain is cloud-init's default: leave it out.
    encoding: encoding === "text/plain" ? undefined : encoding,
    defer: file.defer,
    append: file.append,
    content: encodeContent(file.content, encoding),
  });
}

/** Drops undefined fields so they do not render as `null`. */
function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function documentFor(config: CloudConfig, encodings: readonly RenderedEncoding[]): Record<string, unknown> {
  return compact({
    hostname: config.hostname,
    manage_etc_hosts: config.manage_etc_hosts,
    users: config.users?.map(userNode),
    ssh_authorized_keys: config.ssh_authorized_keys ? [...config.ssh_authorized_keys] : undefined,
    bootcmd: config.bootcmd?.map((argv) => [...argv]),
    package_update: config.package_update,
    package_upgrade: config.package_upgrade,
    packages: config.packages ? [...config.packages] : undefined,
    write_files: config.write_files?.map((file, index) => writeFileNode(file, encodings[index])),
    runcmd: config.runcmd?.map((argv) => [...argv]),
    final_message: config.final_message,
  });
}

function emit(top: Record<string, unknown>): string {
  const doc = new Document(top, { version: "1.1" });
  // Commands read best on one line each: `- [a2enmod, -q, headers]`.
  for (const key of ["bootcmd", "runcmd"]) {
    const commands = doc.get(key);
    if (isSeq(commands)) for (const argv of commands.items) if (isSeq(argv)) argv.flow = true;
  }
  return doc.toString({ lineWidth: 0, blockQuote: "literal", directives: false, indentSeq: true, flowCollectionPadding: false });
}

/**
 * Renders, then reads the YAML back and compares it with what was meant. The emitter loses a text
 * made only of spaces and newlines in a literal block (yaml 2.x); such a file is re-rendered as
 * b64, and any other difference is a bug we refuse to ship.
 */
function renderWith(config: CloudConfig, encodings: RenderedEncoding[]): string {
  for (let attempt = 0; attempt < 2; attempt++) {
    const top = documentFor(config, encodings);
    const body = emit(top);
    const back = parse(body, { version: "1.1" }) as Record<string, unknown>;
    const sentFiles = (top.write_files ?? []) as Record<string, unknown>[];
    const backFiles = (back.write_files ?? []) as Record<string, unknown>[];
    let retry = false;
    sentFiles.forEach((file, index) => {
      if (backFiles[index]?.content !== file.content && encodings[index] === "text/plain" && !config.write_files?.[index].encoding) {
        encodings[index] = "b64";
        retry = true;
      }
    });
    if (retry) continue;
    if (JSON.stringify(back) !== JSON.stringify(top)) {
      throw new Error("the YAML emitter did not round-trip this cloud-config (a yaml library bug); report it with the config");
    }
    return `${CLOUD_CONFIG_HEADER}\n${body}`;
  }
  throw new Error("the YAML emitter did not round-trip this cloud-config even with b64 contents");
}

/** Renders and reports sizes and encodings; see the module comment for the compression rule. */
export function renderUserDataDetailed(config: CloudConfig, options: RenderUserDataOptions): RenderedUserData {
  const limit = options.limit ?? EC2_USER_DATA_LIMIT;
  const errors = validateCloudConfig(config).filter((problem) => problem.severity === "error");
  if (errors.length > 0) throw new CloudConfigError(options.host, errors);

  const files = config.write_files ?? [];
  const encodings: RenderedEncoding[] = files.map(naturalEncoding);
  let userData = renderWith(config, encodings);
  const uncompressedBytes = byteLength(userData);
  let bytes = uncompressedBytes;
  const compressed: string[] = [];

  if (bytes > limit) {
    // Largest first (ties: earlier entry first), only files whose encoding the model left open.
    const candidates = files
      .map((file, index) => ({ index, size: encodeContent(file.content, encodings[index]).length, pinned: file.encoding !== undefined }))
      .filter((candidate) => !candidate.pinned)
      .sort((a, b) => b.size - a.size || a.index - b.index);
    for (const { index } of candidates) {
      if (bytes <= limit) break;
      const previous = encodings[index];
      encodings[index] = "gz+b64";
      const attempt = renderWith(config, encodings);
      const attemptBytes = byteLength(attempt);
      if (attemptBytes < bytes) {
        userData = attempt;
        bytes = attemptBytes;
        compressed.push(files[index].path);
      } else {
        // Tiny or incompressible files grow when gzipped: keep them as they were.
        encodings[index] = previous;
      }
    }
    if (bytes > limit) throw new UserDataTooLargeError(options.host, uncompressedBytes, bytes, limit);
  }
  return { userData, bytes, limit, uncompressedBytes, encodings, compressed };
}

/** The `#cloud-config` user-data for a host: ≤ the limit (16 KiB by default) or it throws. */
export function renderUserData(config: CloudConfig, options: RenderUserDataOptions): string {
  return renderUserDataDetailed(config, options).userData;
}
