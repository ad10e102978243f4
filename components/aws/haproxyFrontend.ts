import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createLabHost, type LabHostArgs } from "./common";

export interface HaproxyFrontendArgs extends LabHostArgs {
  readonly httpPort: number;
  /** Who may open the lab and its stats page. */
  readonly allowedCidrs: readonly string[];
  /** Who may SSH to the frontend (the jump host to the backends); empty closes SSH. */
  readonly sshAllowedCidrs: readonly string[];
}

/** The HAProxy VM (the seed's 192.168.1.20): the only host students reach. */
export class HaproxyFrontend extends pulumi.ComponentResource {
  public readonly instanceId: pulumi.Output<string>;
  public readonly privateIp: pulumi.Output<string>;
  public readonly publicIp: pulumi.Output<string>;
  public readonly publicDns: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: HaproxyFrontendArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:HaproxyFrontend", name, {}, opts);
    const ingress: aws.types.input.ec2.SecurityGroupIngress[] = [
      { description: "HTTP and the stats page", protocol: "tcp", fromPort: args.httpPort, toPort: args.httpPort, cidrBlocks: [...args.allowedCidrs] },
    ];
    if (args.sshAllowedCidrs.length > 0) {
      ingress.push({ description: "SSH (jump host to the backends)", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [...args.sshAllowedCidrs] });
    }
    const { securityGroup, instance } = createLabHost(name, args, { description: `haproxy-lab ${args.hostName}: HTTP from allowedCidrs, SSH from sshAllowedCidrs`, ingress }, this);
    this.instanceId = instance.id;
    this.privateIp = instance.privateIp;
    this.publicIp = instance.publicIp;
    this.publicDns = instance.publicDns;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ instanceId: this.instanceId, privateIp: this.privateIp, publicIp: this.publicIp, publicDns: this.publicDns, securityGroupId: this.securityGroupId });
  }
}
