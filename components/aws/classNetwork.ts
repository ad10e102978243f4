import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, type Tags } from "./common";

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
    const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: nameTags(args.tags, `${name}-vpc`) }, { parent: this });
    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: nameTags(args.tags, `${name}-igw`) }, { parent: this });
    const routeTable = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }], tags: nameTags(args.tags, `${name}-public`) }, { parent: this });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.routeTableId = routeTable.id;
    this.registerOutputs({ vpcId: this.vpcId, vpcCidr: this.vpcCidr, routeTableId: this.routeTableId });
  }
}
