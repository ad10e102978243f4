/**
 * Validation of the cloud-config model: every problem at once, each with the path of the culprit
 * (`write_files[2].permissions`) and a message saying what is wrong and how to fix it.
 */
import type { ConfigProblem } from "../haproxy/model";
import { hasLoneSurrogate, isYamlSafeText, parsePermissions } from "./encoding";
import type { CloudConfig, Command } from "./model";

// A user or group name as Debian's adduser accepts it (NAME_REGEX), optionally `user:group`.
const ACCOUNT = "[a-z_][a-z0-9_-]*\\$?";
const OWNER = new RegExp(`^${ACCOUNT}(:${ACCOUNT})?$`);
const USER_NAME = new RegExp(`^${ACCOUNT}$`);
// Debian package names (Policy 5.6.1), with an optional `=version` pin.
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+)?$/;
// One RFC 1123 label: what `hostname` may set without a domain.
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function error(path: string, message: string): ConfigProblem {
  return { severity: "error", path, message };
}

function warning(path: string, message: string): ConfigProblem {
  return { severity: "warning", path, message };
}

function checkCommands(key: "runcmd" | "bootcmd", commands: readonly Command[], problems: ConfigProblem[]): void {
  commands.forEach((argv, index) => {
    const at = `${key}[${index}]`;
    if (!Array.isArray(argv) || argv.length === 0) {
      problems.push(error(at, `must be a non-empty argv array like ["systemctl", "restart", "apache2"].`));
      return;
    }
    argv.forEach((arg, argIndex) => {
      if (typeof arg !== "string") {
        problems.push(error(`${at}[${argIndex}]`, `must be a string; got ${JSON.stringify(arg)}. Quote numbers and booleans.`));
      } else if (arg.includes("\0")) {
        problems.push(error(`${at}[${argIndex}]`, "contains a NUL byte, which no command line can carry: remove it."));
      }
    });
    if (typeof argv[0] === "string" && argv[0].trim() === "") {
      problems.push(error(`${at}[0]`, "the program name is empty: put the command (e.g. \"systemctl\") first."));
    }
  });
}

/** Returns every problem of the config; errors stop rendering, warnings do not. */
export function validateCloudConfig(config: CloudConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];

  if (config.hostname !== undefined && !HOST_LABEL.test(config.hostname)) {
    problems.push(error("hostname", `${JSON.stringify(config.hostname)} is not a host name: use letters, digits and '-' (1-63 characters, e.g. "backend1").`));
  }

  (config.packages ?? []).forEach((name, index) => {
    if (typeof name !== "string" || !PACKAGE.test(name)) {
      problems.push(error(`packages[${index}]`, `${JSON.stringify(name)} is not a Debian package name: use lower-case letters, digits, '+', '-', '.' (e.g. "libapache2-mod-php"), optionally "=version".`));
    }
  });

  const firstWriter = new Map<string, number>();
  (config.write_files ?? []).forEach((file, index) => {
    const at = `write_files[${index}]`;
    if (typeof file.path !== "string" || !file.path.startsWith("/")) {
      problems.push(error(`${at}.path`, `${JSON.stringify(file.path)} is not an absolute path: cloud-init resolves relative paths against its own working directory; write it as "/etc/…".`));
    } else if (file.path.split("/").includes("..") || file.path.includes("\0")) {
      problems.push(error(`${at}.path`, `${JSON.stringify(file.path)} contains '..' or a NUL byte: name the file by its real absolute path.`));
    } else if (file.path.endsWith("/")) {
      problems.push(error(`${at}.path`, `${JSON.stringify(file.path)} names a directory: write_files writes files; add the file name.`));
    } else {
      const earlier = firstWriter.get(file.path);
      if (earlier !== undefined && !file.append) {
        problems.push(warning(`${at}.path`, `${file.path} is also written by write_files[${earlier}]; this entry replaces it. Merge the two, or set append: true.`));
      }
      if (earlier === undefined) firstWriter.set(file.path, index);
    }
    if (typeof file.content !== "string" && !(file.content instanceof Uint8Array)) {
      problems.push(error(`${at}.content`, "must be a string (text) or a Uint8Array (binary)."));
    }
    if (file.permissions !== undefined && parsePermissions(file.permissions) === undefined) {
      problems.push(error(`${at}.permissions`, `${JSON.stringify(file.permissions)} is not an octal mode: write it as a string of 3-4 octal digits, e.g. "0644" or "0755".`));
    }
    if (file.owner !== undefined && !OWNER.test(file.owner)) {
      problems.push(error(`${at}.owner`, `${JSON.stringify(file.owner)} is not "user" or "user:group" (e.g. "root:haproxy").`));
    }
    if (file.encoding === "text/plain" && file.content instanceof Uint8Array) {
      problems.push(error(`${at}.encoding`, "text/plain cannot carry binary content: omit encoding (the renderer picks b64) or set \"b64\"."));
    } else if (file.encoding === "text/plain" && typeof file.content === "string" && !isYamlSafeText(file.content)) {
      problems.push(error(`${at}.encoding`, "text/plain cannot carry this text verbatim (CR line ends, control characters, U+2028/U+2029 or a BOM): omit encoding (the renderer picks b64) or set \"b64\"."));
    }
    if (typeof file.content === "string" && hasLoneSurrogate(file.content)) {
      problems.push(error(`${at}.content`, "holds a lone UTF-16 surrogate, which UTF-8 cannot encode: fix the string, or pass the intended bytes as a Uint8Array."));
    }
  });

  checkCommands("bootcmd", config.bootcmd ?? [], problems);
  checkCommands("runcmd", config.runcmd ?? [], problems);

  (config.users ?? []).forEach((user, index) => {
    if (user === "default") return;
    if (!USER_NAME.test(user.name)) {
      problems.push(error(`users[${index}].name`, `${JSON.stringify(user.name)} is not a user name: lower-case letters, digits, '_' and '-', starting with a letter or '_'.`));
    }
    (user.ssh_authorized_keys ?? []).forEach((key, keyIndex) => checkSshKey(`users[${index}].ssh_authorized_keys[${keyIndex}]`, key, problems));
  });
  (config.ssh_authorized_keys ?? []).forEach((key, index) => checkSshKey(`ssh_authorized_keys[${index}]`, key, problems));

  return problems;
}

function checkSshKey(path: string, key: string, problems: ConfigProblem[]): void {
  if (typeof key !== "string" || /[\r\n]/.test(key) || !/^(ssh-|ecdsa-|sk-)\S+ \S+/.test(key.trim())) {
    problems.push(error(path, "is not one OpenSSH public key line (\"ssh-ed25519 AAAA… comment\"): paste the .pub file's single line."));
  }
}

/** Thrown by the renderer when the config has errors; `problems` lists all of them. */
export class CloudConfigError extends Error {
  constructor(
    readonly host: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`cloud-config for host "${host}" is invalid:\n${problems.map((p) => `  ${p.severity} ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "CloudConfigError";
  }
}
