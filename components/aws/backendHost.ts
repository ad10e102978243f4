/**
 * What a web backend and a static backend share: a security group that accepts HTTP only from the
 * frontend's security group (and SSH only through the frontend, when SSH is enabled at all), and
 * the instance. A helper for the two components, not a component itself.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createLabHost, type LabHostArgs } from "./common";

export interface BackendHostArgs extends LabHostArgs {
  readonly httpPort: number;
  /** The frontend's security group: the only source of HTTP (and SSH) traffic. */
  readonly frontendSecurityGroupId: pulumi.Input<string>;
  /** Whether SSH is enabled for the lab (then allowed from the frontend, the jump host, only). */
  readonly sshThroughFrontend: boolean;
}

export interface BackendHostResources {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly instance: aws.ec2.Instance;
}

export function createBackendHost(name: string, args: BackendHostArgs, parent: pulumi.Resource): BackendHostResources {
  const ingress: aws.types.input.ec2.SecurityGroupIngress[] = [
    { description: "HTTP from the HAProxy frontend only", protocol: "tcp", fromPort: args.httpPort, toPort: args.httpPort, securityGroups: [args.frontendSecurityGroupId] },
  ];
  if (args.sshThroughFrontend) {
    ingress.push({ description: "SSH through the frontend (jump host)", protocol: "tcp", fromPort: 22, toPort: 22, securityGroups: [args.frontendSecurityGroupId] });
  }
  const { securityGroup, instance } = createLabHost(name, args, { description: `haproxy-lab ${args.hostName}: HTTP from the frontend only`, ingress }, parent);
  return { securityGroup, instance };
}

/** Base of WebBackend and StaticBackend: same host shape, different role (and token). */
export abstract class LabBackend extends pulumi.ComponentResource {
  public readonly instanceId: pulumi.Output<string>;
  public readonly privateIp: pulumi.Output<string>;
  public readonly publicIp: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;

  protected constructor(type: string, name: string, args: BackendHostArgs, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    const { instance, securityGroup } = createBackendHost(name, args, this);
    this.instanceId = instance.id;
    this.privateIp = instance.privateIp;
    this.publicIp = instance.publicIp;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ instanceId: this.instanceId, privateIp: this.privateIp, publicIp: this.publicIp, securityGroupId: this.securityGroupId });
  }
}
