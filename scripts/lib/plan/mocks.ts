/**
 * Pulumi mocks for the lab's program: answer exactly the resources and data lookups the program
 * is known to use, record every resource's inputs, and throw on anything else, so a new cloud call
 * cannot slip in unnoticed. Addresses handed out are from TEST-NET-3 (203.0.113.0/24), which is
 * reserved for documentation: nothing real ever answers there.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** Data lookups the program may make, and a plausible answer for each. */
const INVOKES: Readonly<Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>> = {
  "aws:ec2/getAmi:getAmi": (inputs) => {
    const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
    const architecture = filters.find((f) => f.name === "architecture")?.values[0] ?? "x86_64";
    return { id: architecture === "arm64" ? "ami-0debian12arm64mock" : "ami-0debian12amd64mock", architecture, name: `debian-12-${architecture === "arm64" ? "arm64" : "amd64"}-20261101-1921`, ownerId: "136693071363" };
  },
};

/** Resource types the program may create. */
export const EXPECTED_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "pulumi:pulumi:Stack",
  "pulumi:pulumi:StackReference",
  "haproxy-lab:aws:HaproxyLab",
  "haproxy-lab:aws:LabNetwork",
  "haproxy-lab:aws:ClassNetwork",
  "haproxy-lab:aws:HaproxyFrontend",
  "haproxy-lab:aws:WebBackend",
  "haproxy-lab:aws:StaticBackend",
  "haproxy-lab:aws:HostReadiness",
  "haproxy-lab:aws:HaproxyConfigPush",
  "haproxy-lab:aws:HttpReadiness",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/instance:Instance",
  "random:index/randomPassword:RandomPassword",
  "random:index/randomString:RandomString",
  "tls:index/privateKey:PrivateKey",
  "command:remote:Command",
  "command:local:Command",
  "command:remote:CopyToRemote",
]);

export class LabMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private instanceCount = 0;

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    if (!EXPECTED_RESOURCE_TYPES.has(args.type)) {
      throw new Error(`unexpected resource ${args.type} "${args.name}": add it to the mocks on purpose if the program should create it`);
    }
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    this.resources.push({ type: args.type, name: args.name, inputs });
    const id = `${args.name}-id`;
    switch (args.type) {
      case "aws:ec2/instance:Instance": {
        const n = ++this.instanceCount;
        return { id: `i-0mock${String(n).padStart(12, "0")}`, state: { ...inputs, publicIp: `203.0.113.${9 + n}`, publicDns: `ec2-203-0-113-${9 + n}.compute.example`, privateIp: inputs.privateIp, arn: `arn:aws:ec2:mock:instance/${args.name}` } };
      }
      case "aws:ec2/vpc:Vpc":
        return { id: `vpc-0mock${args.name.length}`, state: { ...inputs } };
      case "random:index/randomPassword:RandomPassword":
        return { id, state: { ...inputs, result: "mockStatsPassword123" } };
      case "random:index/randomString:RandomString":
        return { id, state: { ...inputs, result: "mocksaltmocksalt".slice(0, Number(inputs.length ?? 16)) } };
      case "tls:index/privateKey:PrivateKey":
        return { id, state: { ...inputs, privateKeyOpenssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nmock\n-----END OPENSSH PRIVATE KEY-----\n", publicKeyOpenssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockMockMockMockMockMockMockMockMockMockMock haproxy-lab\n" } };
      case "pulumi:pulumi:StackReference":
        return { id: String(inputs.name ?? args.name), state: { ...inputs, outputs: { vpcId: "vpc-0classmock", vpcCidr: "10.20.0.0/16", routeTableId: "rtb-0classmock" } } };
      case "command:remote:Command":
      case "command:local:Command":
        return { id, state: { ...inputs, stdout: "", stderr: "" } };
      default:
        return { id: args.type.startsWith("aws:") ? `${args.name}-0mock` : id, state: { ...inputs } };
    }
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const answer = INVOKES[args.token];
    if (!answer) throw new Error(`unexpected data lookup ${args.token}: add it to the mocks on purpose if the program should make it`);
    return answer(args.inputs as Record<string, unknown>);
  }
}
