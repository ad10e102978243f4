import * as pulumi from "@pulumi/pulumi";
import { createPublicVpc, type Tags } from "./common";

export interface ClassNetworkArgs {
  readonly vpcCidr: string;
  readonly tags: Tags;
}

/**
 * One VPC for a whole class (AWS allows 5 VPCs per region by default): an internet gateway and a
 * public route table that every student's lab subnet associates with.
 */
export class ClassNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: pulumi.Output<string>;
  public readonly routeTableId: pulumi.Output<string>;

  constructor(name: string, args: ClassNetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:ClassNetwork", name, {}, opts);
    const { vpc, routeTable } = createPublicVpc(name, args.vpcCidr, args.tags, this);
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.routeTableId = routeTable.id;
    this.registerOutputs({ vpcId: this.vpcId, vpcCidr: this.vpcCidr, routeTableId: this.routeTableId });
  }
}
