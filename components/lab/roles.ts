/**
 * The lab's three host roles as cloud-configs (pure: no Pulumi, no I/O). The files they write come
 * in as `LabContent` (read once by `./content`), so these functions only decide what goes where.
 *
 * Every role:
 * - sets the VM's host name to the seed's (`haproxy`, `backend1` …);
 * - installs its packages, then writes its files with `defer: true` (cloud-init's final stage,
 *   after package installation), because they land in trees the packages create or fill
 *   (/etc/haproxy, /etc/apache2, /var/www/html) and must win over the packages' defaults;
 * - runs its runcmd. cloud-init joins runcmd into one /bin/sh script WITHOUT `set -e` and reports
 *   only the script's exit status, so each role puts the command whose failure matters last:
 *   the frontend's validate-and-reload, the backends' `systemctl restart apache2` (which fails
 *   when the config does, e.g. mod_headers missing for our `Header` line).
 */
import type { CloudConfig, WriteFile } from "../cloud-init/model";
import type { HostRole, LabHost, LabTopology } from "./types";
import { APACHE_PREFORK, type ApachePrefork } from "./limits";

/** The lab's files, as read from components/lab/content/ (templates hold `{{NAME}}` placeholders). */
export interface LabContent {
  readonly pruebaPhp: string;
  readonly sesionesPhp: string;
  /** Template: {{HOST}}, {{ROLE}}. */
  readonly indexHtml: string;
  /** Template: {{HOST}}. */
  readonly staticHtml: string;
  /** Apache conf snippet template: {{HOST}}. */
  readonly apacheConf: string;
  /** haproxy-apply.sh: the one validate-install-reload script. */
  readonly applyScript: string;
  readonly logoPng: Uint8Array;
  readonly logoGif: Uint8Array;
}

/** Where the roles put things on a VM; the local lab maps the same paths under its root. */
export const LAB_PATHS = {
  haproxyConfig: "/etc/haproxy/haproxy.cfg",
  haproxyStaged: "/etc/haproxy/haproxy.cfg.staged",
  applyScript: "/usr/local/sbin/haproxy-lab-apply",
  documentRoot: "/var/www/html",
  apacheConfName: "haproxy-lab",
  apacheConf: "/etc/apache2/conf-available/haproxy-lab.conf",
} as const;

/** The files each backend role serves from the document root. */
export const WEB_DOCUMENTS = ["prueba.php", "sesiones.php", "index.html", "static.html"] as const;
export const STATIC_DOCUMENTS = ["index.html", "static.html", "logo-med.png", "logo-med.gif"] as const;

/** Response header naming the host that served a request (set by haproxy-lab.conf on every backend). */
export const LAB_HOST_HEADER = "X-Lab-Host";

export interface RoleOptions {
  /** Extra keys for the image's default user (the stack's SSH key). */
  readonly sshAuthorizedKeys?: readonly string[];
  /**
   * How haproxy.cfg reaches the frontend. "user-data" (default): cloud-init stages and applies it
   * at first boot. "push": the stack pushes it over SSH after boot (and again on every change), so
   * the frontend's user-data does not depend on HAProxy's settings and a settings change never
   * replaces the VM.
   */
  readonly haproxyDelivery?: "user-data" | "push";
}

const ROLE_DESCRIPTIONS: Readonly<Record<Exclude<HostRole, "frontend">, string>> = {
  web: "Backend web (Apache + PHP): prueba.php, sesiones.php, static.html",
  static: "Backend estatico (Apache, sin PHP): logo-med.png, logo-med.gif",
};

// Host names reach an Apache config and HTML: accept only what the lab's settings allow.
const SAFE_HOST_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Replaces every `{{NAME}}` with `values[NAME]`; throws when the template uses a name that has no
 * value (a typo would otherwise ship a literal `{{HOTS}}`).
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder ${placeholder} has no value (known: ${Object.keys(values).join(", ")})`);
    return value;
  });
}

function checkedHost(topology: LabTopology, host: LabHost, role: HostRole): string {
  if (host.role !== role) throw new Error(`host ${host.name} has role ${host.role}, not ${role}`);
  if (!SAFE_HOST_NAME.test(host.name)) throw new Error(`host name ${JSON.stringify(host.name)} is not a plain lower-case host name; resolve settings with resolveLabSettings first`);
  if (topology.httpPort !== 80) throw new Error(`httpPort ${topology.httpPort}: the roles configure Debian's Apache and HAProxy on port 80 only`);
  return host.name;
}

function baseConfig(topology: LabTopology, host: LabHost, packages: readonly string[], options: RoleOptions): CloudConfig {
  return {
    hostname: host.name,
    manage_etc_hosts: true,
    ...(options.sshAuthorizedKeys && options.sshAuthorizedKeys.length > 0 ? { ssh_authorized_keys: options.sshAuthorizedKeys } : {}),
    package_update: true,
    package_upgrade: false,
    packages,
    final_message: `haproxy-lab ${topology.settings.student}: ${host.name} (${host.role}) is ready after $UPTIME seconds`,
  };
}

function deferred(path: string, content: string | Uint8Array, permissions = "0644", owner = "root:root"): WriteFile {
  return { path, owner, permissions, defer: true, content };
}

function document(name: string, content: string | Uint8Array): WriteFile {
  return deferred(`${LAB_PATHS.documentRoot}/${name}`, content);
}

/** mod_headers for X-Lab-Host, our conf snippet, then a restart that fails loudly on a bad config. */
const APACHE_RUNCMD: CloudConfig["runcmd"] = [
  ["a2enmod", "-q", "headers"],
  ["a2enconf", "-q", LAB_PATHS.apacheConfName],
  ["systemctl", "restart", "apache2"],
];

/**
 * The HAProxy frontend: installs haproxy, stages the rendered haproxy.cfg, and runs
 * haproxy-lab-apply, which checks it with `haproxy -c` and only then installs it, enables haproxy
 * at boot and reloads it. A failed check leaves Debian's config running and fails cloud-init.
 */
export function frontendCloudConfig(topology: LabTopology, host: LabHost, haproxyCfg: string, content: LabContent, options: RoleOptions = {}): CloudConfig {
  checkedHost(topology, host, "frontend");
  if (options.haproxyDelivery === "push") {
    return {
      ...baseConfig(topology, host, ["haproxy"], options),
      write_files: [deferred(LAB_PATHS.applyScript, content.applyScript, "0755")],
      // Debian's own haproxy.cfg runs until the stack pushes the lab's through haproxy-lab-apply.
      runcmd: [["systemctl", "enable", "--now", "haproxy"]],
    };
  }
  return {
    ...baseConfig(topology, host, ["haproxy"], options),
    write_files: [
      // Group haproxy may read it (the userlist holds a password hash, not for everyone's eyes).
      deferred(LAB_PATHS.haproxyStaged, haproxyCfg, "0640", "root:haproxy"),
      deferred(LAB_PATHS.applyScript, content.applyScript, "0755"),
    ],
    runcmd: [[LAB_PATHS.applyScript, "--staged", LAB_PATHS.haproxyStaged, "--target", LAB_PATHS.haproxyConfig, "--reload", "systemd"]],
  };
}

/** The Apache conf snippet for a host: X-Lab-Host on every response, LAB_HOST_NAME for PHP, the prefork pool. */
export function apacheConfFor(host: string, content: LabContent, prefork: ApachePrefork = APACHE_PREFORK): string {
  return fillTemplate(content.apacheConf, {
    HOST: host,
    START_SERVERS: String(prefork.startServers),
    MIN_SPARE_SERVERS: String(prefork.minSpareServers),
    MAX_SPARE_SERVERS: String(prefork.maxSpareServers),
    MAX_REQUEST_WORKERS: String(prefork.maxRequestWorkers),
  });
}

/** A web backend: Apache + mod_php with the seed's prueba.php and sesiones.php, and pages naming the host. */
export function webCloudConfig(topology: LabTopology, host: LabHost, content: LabContent, options: RoleOptions = {}): CloudConfig {
  const name = checkedHost(topology, host, "web");
  return {
    ...baseConfig(topology, host, ["apache2", "libapache2-mod-php"], options),
    write_files: [
      document("prueba.php", content.pruebaPhp),
      document("sesiones.php", content.sesionesPhp),
      document("index.html", fillTemplate(content.indexHtml, { HOST: name, ROLE: ROLE_DESCRIPTIONS.web })),
      document("static.html", fillTemplate(content.staticHtml, { HOST: name })),
      deferred(LAB_PATHS.apacheConf, apacheConfFor(name, content)),
    ],
    runcmd: APACHE_RUNCMD,
  };
}

/** The static backend: Apache only (no PHP), serving the logo and pages naming the host. */
export function staticCloudConfig(topology: LabTopology, host: LabHost, content: LabContent, options: RoleOptions = {}): CloudConfig {
  const name = checkedHost(topology, host, "static");
  return {
    ...baseConfig(topology, host, ["apache2"], options),
    write_files: [
      document("index.html", fillTemplate(content.indexHtml, { HOST: name, ROLE: ROLE_DESCRIPTIONS.static })),
      document("static.html", fillTemplate(content.staticHtml, { HOST: name })),
      document("logo-med.png", content.logoPng),
      document("logo-med.gif", content.logoGif),
      deferred(LAB_PATHS.apacheConf, apacheConfFor(name, content)),
    ],
    runcmd: APACHE_RUNCMD,
  };
}

/** The cloud-config of any host of the topology, by its role. */
export function hostCloudConfig(topology: LabTopology, host: LabHost, haproxyCfg: string, content: LabContent, options: RoleOptions = {}): CloudConfig {
  switch (host.role) {
    case "frontend":
      return frontendCloudConfig(topology, host, haproxyCfg, content, options);
    case "web":
      return webCloudConfig(topology, host, content, options);
    case "static":
      return staticCloudConfig(topology, host, content, options);
  }
}
