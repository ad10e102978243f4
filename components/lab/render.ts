/**
 * The whole lab rendered: the HAProxy model and its haproxy.cfg, and every host's cloud-config and
 * `#cloud-config` user-data (≤ 16 KiB each, or it throws naming the host).
 *
 * The frontend's user-data carries `haproxyCfg` verbatim, so what `pulumi up` boots, what the
 * local lab runs and what the tests check is one text.
 */
import { renderUserData } from "../cloud-init/render";
import { renderHaproxyConfig } from "../haproxy";
import { loadLabContent } from "./content";
import { labHaproxyConfig } from "./haproxy";
import { hostCloudConfig, type LabContent } from "./roles";
import type { LabTopology, RenderedHost, RenderedLab, StatsCredentialsHash } from "./types";

export interface RenderLabOptions {
  /** Public keys for the image's default user (e.g. the stack-managed SSH key). */
  readonly sshAuthorizedKeys?: readonly string[];
  /** The lab's files; default: read from components/lab/content. */
  readonly content?: LabContent;
  /** See RoleOptions.haproxyDelivery. */
  readonly haproxyDelivery?: "user-data" | "push";
  /** global maxconn, derived from the frontend's limits (components/lab/limits.ts). */
  readonly maxconn?: number;
}

export function renderLab(topology: LabTopology, stats: StatsCredentialsHash, options: RenderLabOptions = {}): RenderedLab {
  const haproxy = labHaproxyConfig(topology, stats, options.maxconn !== undefined ? { maxconn: options.maxconn } : {});
  const haproxyCfg = renderHaproxyConfig(haproxy);
  const content = options.content ?? loadLabContent();
  const roleOptions = {
    ...(options.sshAuthorizedKeys ? { sshAuthorizedKeys: options.sshAuthorizedKeys } : {}),
    ...(options.haproxyDelivery ? { haproxyDelivery: options.haproxyDelivery } : {}),
  };
  const hosts: RenderedHost[] = topology.hosts.map((host) => {
    const cloudConfig = hostCloudConfig(topology, host, haproxyCfg, content, roleOptions);
    return { host, cloudConfig, userData: renderUserData(cloudConfig, { host: host.name }) };
  });
  return { topology, haproxy, haproxyCfg, hosts };
}
