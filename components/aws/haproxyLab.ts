import * as pulumi from "@pulumi/pulumi";
import type { LabHost, LabTopology } from "../lab/types";
import { debianAmiId, type Tags } from "./common";
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
