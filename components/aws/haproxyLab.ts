import * as pulumi from "@pulumi/pulumi";
import type { LabHost, LabTopology } from "../lab/types";
import type * as command from "@pulumi/command";
import { debianAmiId, type Tags } from "./common";
import { HaproxyConfigPush } from "./haproxyConfigPush";
import { HostReadiness } from "./hostReadiness";
import { HttpReadiness } from "./httpReadiness";
import { HaproxyFrontend } from "./haproxyFrontend";
import { LabNetwork, type LabNetworkSource } from "./labNetwork";
import { StaticBackend } from "./staticBackend";
import { WebBackend } from "./webBackend";

export interface HaproxyLabArgs {
  /** Hosts and addresses, from `planLabTopology` (pure). */
  readonly topology: LabTopology;
  /** Each host's `#cloud-config`, by host name (a secret: the frontend's holds the stats password hash). */
  readonly userData: pulumi.Input<Readonly<Record<string, string>>>;
  readonly network: LabNetworkSource;
  readonly availabilityZone?: string;
  readonly instanceType: string;
  readonly allowedCidrs: readonly string[];
  readonly sshAllowedCidrs: readonly string[];
  readonly tags: Tags;
  /**
   * How `pulumi up` knows the lab works and how haproxy.cfg reaches the frontend:
   * - "ssh" (SSH open to the machine running Pulumi): wait for cloud-init on every host over SSH
   *   (backends through the frontend), then push haproxy.cfg and reload (live changes, no VM
   *   replacement); the frontend's user-data then holds no haproxy.cfg.
   * - "http" (SSH closed, the default): poll the stats page until every server is UP; haproxy.cfg
   *   comes with the frontend's user-data, so a settings change replaces the frontend VM.
   */
  readonly readiness:
    | { readonly kind: "ssh"; readonly privateKey?: pulumi.Input<string>; readonly agentSocketPath?: string; readonly haproxyCfg: pulumi.Input<string> }
    | { readonly kind: "http"; readonly statsUser: pulumi.Input<string>; readonly statsPassword: pulumi.Input<string>; readonly statsPath: string }
    | { readonly kind: "none" };
}

export interface HostAddresses {
  readonly privateIp: string;
  readonly publicIp: string;
}

/** The seed's whole lab: network, HAProxy frontend, web backends and static backend(s). */
export class HaproxyLab extends pulumi.ComponentResource {
  public readonly frontendPublicIp: pulumi.Output<string>;
  public readonly frontendPublicDns: pulumi.Output<string>;
  public readonly vpcId: pulumi.Output<string>;
  public readonly subnetId: pulumi.Output<string>;
  /** Host name → private and public address. */
  public readonly hosts: pulumi.Output<Record<string, HostAddresses>>;

  constructor(name: string, args: HaproxyLabArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:HaproxyLab", name, {}, opts);
    const { topology } = args;
    const network = new LabNetwork(`${name}-net`, { source: args.network, subnetCidr: topology.settings.subnetCidr, ...(args.availabilityZone ? { availabilityZone: args.availabilityZone } : {}), tags: args.tags }, { parent: this });
    const ami = debianAmiId(args.instanceType, { parent: this });
    const userDataOf = (host: LabHost): pulumi.Output<string> =>
      pulumi.output(args.userData).apply((all) => {
        const text = all[host.name];
        if (text === undefined) throw new Error(`no user-data rendered for host "${host.name}"`);
        return text;
      });
    const common = { vpcId: network.vpcId, subnetId: network.subnetId, httpPort: topology.httpPort, ami, instanceType: args.instanceType, tags: args.tags };

    const frontend = new HaproxyFrontend(
      `${name}-${topology.frontend.name}`,
      { ...common, hostName: topology.frontend.name, privateIp: topology.frontend.privateIp, userData: userDataOf(topology.frontend), allowedCidrs: args.allowedCidrs, sshAllowedCidrs: args.sshAllowedCidrs },
      { parent: this },
    );
    const backendArgs = (host: LabHost) => ({
      ...common,
      hostName: host.name,
      privateIp: host.privateIp,
      userData: userDataOf(host),
      frontendSecurityGroupId: frontend.securityGroupId,
      sshThroughFrontend: args.sshAllowedCidrs.length > 0,
    });
    const backends = [
      ...topology.webServers.map((host) => [host, new WebBackend(`${name}-${host.name}`, backendArgs(host), { parent: this })] as const),
      ...topology.staticServers.map((host) => [host, new StaticBackend(`${name}-${host.name}`, backendArgs(host), { parent: this })] as const),
    ];

    const readiness = args.readiness;
    if (readiness.kind === "ssh") {
      const login = {
        user: "admin",
        ...(readiness.privateKey ? { privateKey: readiness.privateKey } : {}),
        ...(readiness.agentSocketPath ? { agentSocketPath: readiness.agentSocketPath } : {}),
        // pulumi-command#199: never retry an unreachable host forever.
        dialErrorLimit: 40,
        perDialTimeout: 15,
      };
      const frontendConnection: command.types.input.remote.ConnectionArgs = { ...login, host: frontend.publicIp };
      const frontendReady = new HostReadiness(`${name}-${topology.frontend.name}-ready`, { hostName: topology.frontend.name, connection: frontendConnection, triggers: [frontend.instanceId] }, { parent: this });
      for (const [host, backend] of backends) {
        new HostReadiness(
          `${name}-${host.name}-ready`,
          { hostName: host.name, connection: { ...login, host: host.privateIp, proxy: { ...login, host: frontend.publicIp } }, triggers: [backend.instanceId] },
          { parent: this, dependsOn: [frontendReady] },
        );
      }
      new HaproxyConfigPush(`${name}-haproxy-cfg`, { connection: frontendConnection, haproxyCfg: readiness.haproxyCfg, instanceId: frontend.instanceId }, { parent: this, dependsOn: [frontendReady] });
    } else if (readiness.kind === "http") {
      new HttpReadiness(
        `${name}-ready`,
        {
          statsUrl: pulumi.interpolate`http://${frontend.publicIp}${readiness.statsPath}`,
          statsUser: readiness.statsUser,
          statsPassword: readiness.statsPassword,
          servers: [...topology.webServers, ...topology.staticServers].map((h) => h.name),
          triggers: [frontend.instanceId, ...backends.map(([, backend]) => backend.instanceId)],
        },
        { parent: this },
      );
    }

    this.frontendPublicIp = frontend.publicIp;
    this.frontendPublicDns = frontend.publicDns;
    this.vpcId = network.vpcId;
    this.subnetId = network.subnetId;
    this.hosts = pulumi
      .all([frontend.publicIp, ...backends.map(([, backend]) => backend.publicIp)])
      .apply(([frontendIp, ...backendIps]) => {
        const hosts: Record<string, HostAddresses> = { [topology.frontend.name]: { privateIp: topology.frontend.privateIp, publicIp: frontendIp } };
        backends.forEach(([host], index) => {
          hosts[host.name] = { privateIp: host.privateIp, publicIp: backendIps[index] };
        });
        return hosts;
      });
    this.registerOutputs({ frontendPublicIp: this.frontendPublicIp, frontendPublicDns: this.frontendPublicDns, vpcId: this.vpcId, subnetId: this.subnetId, hosts: this.hosts });
  }
}
