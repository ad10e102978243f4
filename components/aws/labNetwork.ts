import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createPublicVpc, nameTags, type Tags } from "./common";

/** Where the lab's subnet comes from. */
export type LabNetworkSource =
  /** A VPC, internet gateway and public route table of the lab's own. */
  | { readonly kind: "own"; readonly vpcCidr: string }
  /** A class's shared VPC (a `stackKind: network` stack): the lab adds its own subnet to it. */
  | { readonly kind: "shared"; readonly vpcId: pulumi.Input<string>; readonly routeTableId: pulumi.Input<string> }
  /** Bring your own network: an existing VPC and public subnet, used as they are. */
  | { readonly kind: "existing"; readonly vpcId: string; readonly subnetId: string };

export interface LabNetworkArgs {
  readonly source: LabNetworkSource;
  /** The lab's subnet (the seed's 192.168.1.0/24); ignored for an existing subnet. */
  readonly subnetCidr: string;
  readonly availabilityZone?: pulumi.Input<string>;
  readonly tags: Tags;
}

/** The shared subnet the frontend and the backends live on, with a route to the internet (apt). */
export class LabNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly subnetId: pulumi.Output<string>;

  constructor(name: string, args: LabNetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:LabNetwork", name, {}, opts);
    const source = args.source;
    if (source.kind === "existing") {
      this.vpcId = pulumi.output(source.vpcId);
      this.subnetId = pulumi.output(source.subnetId);
    } else {
      let vpcId: pulumi.Input<string>;
      let routeTableId: pulumi.Input<string>;
      if (source.kind === "own") {
        const { vpc, routeTable } = createPublicVpc(name, source.vpcCidr, args.tags, this);
        vpcId = vpc.id;
        routeTableId = routeTable.id;
      } else {
        vpcId = source.vpcId;
        routeTableId = source.routeTableId;
      }
      const subnet = new aws.ec2.Subnet(
        `${name}-subnet`,
        { vpcId, cidrBlock: args.subnetCidr, mapPublicIpOnLaunch: false, ...(args.availabilityZone ? { availabilityZone: args.availabilityZone } : {}), tags: nameTags(args.tags, `${name}-subnet`) },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(`${name}-public`, { subnetId: subnet.id, routeTableId }, { parent: this });
      this.vpcId = pulumi.output(vpcId);
      this.subnetId = subnet.id;
    }
    this.registerOutputs({ vpcId: this.vpcId, subnetId: this.subnetId });
  }
}
