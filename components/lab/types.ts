/**
 * The lab plan: what the seed's lab is made of, computed from validated settings, with no Pulumi
 * and no I/O. The AWS stack, the local lab and the CI scripts all start from here.
 *
 * Two layers, because the stats password is a secret that Pulumi only knows as an Output:
 * - `LabTopology` (settings → hosts, addresses, URLs): no secret inside, known at plan time;
 * - `RenderedLab` (topology + stats credentials → haproxy.cfg and each host's cloud-config).
 */
import type { Duration, HttpConnectionMode, HaproxyConfig } from "../haproxy/model";
import type { CloudConfig } from "../cloud-init/model";

/** `seed`: the tutorial's behaviour in modern syntax. `tuned`: what we measured to be better. */
export type LabProfile = "seed" | "tuned";
export type CookieMode = "prefix" | "insert" | "none";
/** The balance algorithms a lab may choose (the argument-free ones). */
export type LabBalance = "roundrobin" | "static-rr" | "leastconn" | "first" | "source" | "random";

export interface ServerSetting {
  /** Host name, as in the seed: `backend1`. Also the HAProxy server name. */
  readonly name: string;
  /** HAProxy weight, 0-256. */
  readonly weight: number;
}

export interface HealthCheckSetting {
  readonly inter: Duration;
  readonly rise: number;
  readonly fall: number;
  /** Path probed by `option httpchk`, e.g. `/index.html`. */
  readonly path: string;
}

/**
 * Settings as a user gives them (stack config, `--config key=value`): everything optional.
 * Keys are the stack config keys of the `haproxy-lab` namespace.
 */
export interface LabSettingsInput {
  readonly student?: string;
  readonly subnetCidr?: string;
  readonly webServers?: readonly ServerSetting[];
  readonly staticServers?: readonly ServerSetting[];
  readonly staticExtensions?: readonly string[];
  readonly balance?: LabBalance;
  readonly cookieMode?: CookieMode;
  readonly keepAlive?: HttpConnectionMode;
  readonly healthCheck?: Partial<HealthCheckSetting>;
  readonly statsUser?: string;
  readonly profile?: LabProfile;
}

/** Settings after defaults and the profile are applied and validation passed. */
export interface LabSettings {
  readonly student: string;
  readonly subnetCidr: string;
  readonly webServers: readonly ServerSetting[];
  readonly staticServers: readonly ServerSetting[];
  readonly staticExtensions: readonly string[];
  readonly balance: LabBalance;
  readonly cookieMode: CookieMode;
  readonly keepAlive: HttpConnectionMode;
  readonly healthCheck: HealthCheckSetting;
  readonly statsUser: string;
  readonly profile: LabProfile;
}

export type HostRole = "frontend" | "web" | "static";

export interface LabHost {
  /** `haproxy`, `backend1`, … : the seed's host names, used by the CLIs too. */
  readonly name: string;
  readonly role: HostRole;
  readonly privateIp: string;
  /** Web/static servers: the HAProxy weight; the frontend has none. */
  readonly weight?: number;
  /** Web servers: the persistence cookie value (A, B, C …) when cookies are on. */
  readonly cookie?: string;
}

export interface LabTopology {
  readonly settings: LabSettings;
  readonly frontend: LabHost;
  readonly webServers: readonly LabHost[];
  readonly staticServers: readonly LabHost[];
  /** All hosts, frontend first, then web, then static: the order resources are created in. */
  readonly hosts: readonly LabHost[];
  /** HTTP port HAProxy and Apache listen on inside the lab. */
  readonly httpPort: number;
  readonly statsPath: string;
}

/** The stats page's credentials as they reach the rendered files: only a crypt(3) hash. */
export interface StatsCredentialsHash {
  readonly user: string;
  /** SHA-512 crypt hash (`$6$salt$…`) of the password. */
  readonly passwordHash: string;
}

export interface RenderedHost {
  readonly host: LabHost;
  readonly cloudConfig: CloudConfig;
  /** The `#cloud-config` text handed to the VM, under EC2's 16 KiB limit. */
  readonly userData: string;
}

export interface RenderedLab {
  readonly topology: LabTopology;
  readonly haproxy: HaproxyConfig;
  readonly haproxyCfg: string;
  readonly hosts: readonly RenderedHost[];
}

/** URLs a student uses, relative to a base like `http://203.0.113.7`. */
export interface LabUrls {
  readonly frontend: string;
  readonly stats: string;
  readonly prueba: string;
  readonly sesiones: string;
  readonly static: string;
}
