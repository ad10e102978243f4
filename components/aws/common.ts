/**
 * Pieces every host of the lab shares: tags, the Debian 12 image lookup, and the instance settings
 * we never want to differ between hosts (IMDSv2, encrypted gp3 root volume, replacement on a
 * user-data change). Creates nothing on import.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export type Tags = Readonly<Record<string, string>>;

/** Debian's official AWS account, which publishes the debian-12 images. */
export const DEBIAN_AMI_OWNER = "136693071363";

/** Graviton instance families (t4g, m7g, c6gn …) need arm64 images. */
export function architectureFor(instanceType: string): "arm64" | "x86_64" {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType) ? "arm64" : "x86_64";
}

/** The newest Debian 12 image for the instance type's architecture, found by a data lookup. */
export function debianAmiId(instanceType: string, opts: pulumi.InvokeOutputOptions = {}): pulumi.Output<string> {
  const architecture = architectureFor(instanceType);
  return aws.ec2
    .getAmiOutput(
      {
        owners: [DEBIAN_AMI_OWNER],
        mostRecent: true,
        filters: [
          { name: "name", values: [`debian-12-${architecture === "arm64" ? "arm64" : "amd64"}-*`] },
          { name: "architecture", values: [architecture] },
          { name: "virtualization-type", values: ["hvm"] },
        ],
      },
      opts,
    )
    .apply((ami) => ami.id);
}

export function nameTags(tags: Tags, name: string): Record<string, string> {
  return { ...tags, Name: name };
}

export interface LabInstanceArgs {
  readonly ami: pulumi.Input<string>;
  readonly instanceType: string;
  readonly subnetId: pulumi.Input<string>;
  readonly privateIp: string;
  readonly securityGroupIds: pulumi.Input<string>[];
  readonly userData: pulumi.Input<string>;
  readonly tags: Record<string, string>;
}

/**
 * Changing an instance's userData is an in-place stop/start and cloud-init's per-instance modules
 * do not run again (FIELD-NOTES), so a change would silently not take effect: replace instead.
 */
export function labInstanceArgs(args: LabInstanceArgs): aws.ec2.InstanceArgs {
  return {
    ami: args.ami,
    instanceType: args.instanceType,
    subnetId: args.subnetId,
    privateIp: args.privateIp,
    vpcSecurityGroupIds: args.securityGroupIds,
    associatePublicIpAddress: true,
    userData: args.userData,
    userDataReplaceOnChange: true,
    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
    rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true, tags: args.tags },
    tags: args.tags,
  };
}

export interface LabHostArgs {
  readonly hostName: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
  readonly privateIp: string;
  readonly ami: pulumi.Input<string>;
  readonly instanceType: string;
  readonly userData: pulumi.Input<string>;
  readonly tags: Tags;
}

/**
 * A lab host: its own security group (the given ingress; all egress, for apt) and its instance,
 * children `${name}-sg` and `${name}-vm` of `parent`. Shared by the frontend and the backends.
 */
export function createLabHost(
  name: string,
  args: LabHostArgs,
  firewall: { readonly description: string; readonly ingress: aws.types.input.ec2.SecurityGroupIngress[] },
  parent: pulumi.Resource,
): { securityGroup: aws.ec2.SecurityGroup; instance: aws.ec2.Instance } {
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      description: firewall.description,
      vpcId: args.vpcId,
      ingress: firewall.ingress,
      egress: [{ description: "packages and updates", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      tags: nameTags(args.tags, `${name}-sg`),
    },
    { parent },
  );
  const instance = new aws.ec2.Instance(
    `${name}-vm`,
    labInstanceArgs({
      ami: args.ami,
      instanceType: args.instanceType,
      subnetId: args.subnetId,
      privateIp: args.privateIp,
      securityGroupIds: [securityGroup.id],
      userData: args.userData,
      tags: nameTags(args.tags, args.hostName),
    }),
    { parent },
  );
  return { securityGroup, instance };
}

/** A VPC with an internet gateway and a public route table (a lab's own, or a class's shared one). */
export function createPublicVpc(name: string, cidrBlock: string, tags: Tags, parent: pulumi.Resource): { vpc: aws.ec2.Vpc; routeTable: aws.ec2.RouteTable } {
  const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: nameTags(tags, `${name}-vpc`) }, { parent });
  const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: nameTags(tags, `${name}-igw`) }, { parent });
  const routeTable = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }], tags: nameTags(tags, `${name}-public`) }, { parent });
  return { vpc, routeTable };
}
