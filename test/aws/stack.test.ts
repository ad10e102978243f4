import { describe, expect, it } from "vitest";
import { sha512Crypt } from "../../components/haproxy";
import { maxconnForInstanceType, planLabTopology, renderLab, resolveLabSettings } from "../../components/lab";
import { byName, ofType, planStack } from "../helpers/plan";

type Rule = { protocol: string; fromPort: number; toPort: number; cidrBlocks?: string[]; securityGroups?: string[] };
const rulesOf = (inputs: Readonly<Record<string, unknown>>, key: "ingress" | "egress") => (inputs[key] ?? []) as Rule[];

describe("the default stack (the seed's lab)", async () => {
  const plan = await planStack();
  const count = (type: string) => ofType(plan, type).length;

  it("creates one network, one frontend, two web backends and one static backend", () => {
    expect({
      lab: count("haproxy-lab:aws:HaproxyLab"),
      network: count("haproxy-lab:aws:LabNetwork"),
      frontend: count("haproxy-lab:aws:HaproxyFrontend"),
      web: count("haproxy-lab:aws:WebBackend"),
      static: count("haproxy-lab:aws:StaticBackend"),
      vpc: count("aws:ec2/vpc:Vpc"),
      gateway: count("aws:ec2/internetGateway:InternetGateway"),
      routeTable: count("aws:ec2/routeTable:RouteTable"),
      association: count("aws:ec2/routeTableAssociation:RouteTableAssociation"),
      subnet: count("aws:ec2/subnet:Subnet"),
      securityGroups: count("aws:ec2/securityGroup:SecurityGroup"),
      instances: count("aws:ec2/instance:Instance"),
      password: count("random:index/randomPassword:RandomPassword"),
      salt: count("random:index/randomString:RandomString"),
      readiness: count("haproxy-lab:aws:HttpReadiness"),
      readinessCommand: count("command:local:Command"),
    }).toEqual({ lab: 1, network: 1, frontend: 1, web: 2, static: 1, vpc: 1, gateway: 1, routeTable: 1, association: 1, subnet: 1, securityGroups: 4, instances: 4, password: 1, salt: 1, readiness: 1, readinessCommand: 1 });
    expect(plan.resources).toHaveLength(23);
  });

  it("children are named after and parented to their component", () => {
    expect(byName(plan, "lab-backend1-vm").parent).toBe("lab-backend1");
    expect(byName(plan, "lab-net-subnet").parent).toBe("lab-net");
    expect(byName(plan, "lab-haproxy").parent).toBe("lab");
  });

  it("places the hosts at the seed's fixed private addresses in 192.168.1.0/24", () => {
    expect(byName(plan, "lab-net-subnet").inputs.cidrBlock).toBe("192.168.1.0/24");
    expect(byName(plan, "lab-net-vpc").inputs.cidrBlock).toBe("192.168.0.0/16");
    const addresses = Object.fromEntries(ofType(plan, "aws:ec2/instance:Instance").map((i) => [(i.inputs.tags as Record<string, string>).Name, i.inputs.privateIp]));
    expect(addresses).toEqual({ haproxy: "192.168.1.20", backend1: "192.168.1.21", backend2: "192.168.1.22", backend3: "192.168.1.23" });
  });

  it("backends accept HTTP only from the frontend's security group, and nothing from 0.0.0.0/0", () => {
    for (const name of ["lab-backend1-sg", "lab-backend2-sg", "lab-backend3-sg"]) {
      const ingress = rulesOf(byName(plan, name).inputs, "ingress");
      expect(ingress).toHaveLength(1);
      expect(ingress[0]).toMatchObject({ protocol: "tcp", fromPort: 80, toPort: 80, securityGroups: ["lab-haproxy-sg-0mock"] });
      expect(ingress[0].cidrBlocks ?? []).toEqual([]);
    }
  });

  it("SSH is closed by default: no port 22 on any security group", () => {
    for (const sg of ofType(plan, "aws:ec2/securityGroup:SecurityGroup")) {
      expect(rulesOf(sg.inputs, "ingress").some((r) => r.fromPort <= 22 && r.toPort >= 22)).toBe(false);
    }
  });

  it("the frontend accepts HTTP from allowedCidrs (everyone by default)", () => {
    expect(rulesOf(byName(plan, "lab-haproxy-sg").inputs, "ingress")).toEqual([expect.objectContaining({ fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] })]);
  });

  it("every instance requires IMDSv2, has an encrypted gp3 root volume and is replaced when its user-data changes", () => {
    for (const instance of ofType(plan, "aws:ec2/instance:Instance")) {
      expect(instance.inputs.metadataOptions).toMatchObject({ httpTokens: "required" });
      expect(instance.inputs.rootBlockDevice).toMatchObject({ volumeType: "gp3", encrypted: true });
      expect(instance.inputs.userDataReplaceOnChange).toBe(true);
      expect(instance.inputs.ami).toBe("ami-0debian12amd64mock");
      expect(instance.inputs.instanceType).toBe("t3.micro");
    }
  });

  it("tags every taggable resource with project, stack and student", () => {
    const taggable = plan.resources.filter((r) => r.type.startsWith("aws:") && r.type !== "aws:ec2/routeTableAssociation:RouteTableAssociation");
    expect(taggable.length).toBeGreaterThan(0);
    for (const resource of taggable) expect(resource.inputs.tags, resource.name).toMatchObject({ project: "haproxy-lab", stack: "test", student: "student" });
  });

  it("user-data is exactly the plan's, and it is secret", () => {
    const { settings } = resolveLabSettings({});
    const rendered = renderLab(planLabTopology(settings!), { user: "admin", passwordHash: sha512Crypt("mockStatsPassword123", "mocksaltmocksalt") }, { maxconn: maxconnForInstanceType("t3.micro").maxconn });
    for (const host of rendered.hosts) {
      const instance = byName(plan, `lab-${host.host.name}-vm`);
      expect(instance.inputs.userData).toBe(host.userData);
      expect(instance.secretInputs).toContain("userData");
    }
    expect(plan.outputs.haproxyCfg.value).toBe(rendered.haproxyCfg);
  });

  it("exports everything a student needs, and the password and config as secrets", () => {
    expect(Object.keys(plan.outputs).sort()).toEqual(["frontendUrl", "haproxyCfg", "hosts", "labUrls", "sshCommands", "statsPassword", "statsUrl", "statsUser"]);
    expect(plan.outputs.statsUrl.value).toBe("http://203.0.113.10/stats");
    expect(plan.outputs.labUrls.value).toEqual({ prueba: "http://203.0.113.10/prueba.php", sesiones: "http://203.0.113.10/sesiones.php", static: "http://203.0.113.10/static.html" });
    expect(plan.outputs.statsUser).toEqual({ value: "admin", secret: false });
    expect(plan.outputs.statsPassword).toEqual({ value: "mockStatsPassword123", secret: true });
    expect(plan.outputs.haproxyCfg.secret).toBe(true);
    expect(plan.outputs.hosts.value).toMatchObject({ haproxy: { privateIp: "192.168.1.20", publicIp: "203.0.113.10" } });
    expect(String(plan.outputs.haproxyCfg.value)).not.toContain("mockStatsPassword123");
  });
});

describe("stack variants", () => {
  it("two students' stacks differ only in subnet, addresses, student tag and what embeds them", async () => {
    const a = await planStack({ student: "ana", subnetCidr: "192.168.7.0/24" }, "ana");
    const b = await planStack({ student: "bob", subnetCidr: "192.168.8.0/24" }, "bob");
    const normalize = (text: string) => text.replace(/192\.168\.[78]\./g, "192.168.X.").replace(/\b(ana|bob)\b/g, "STUDENT");
    expect(a.resources.map((r) => `${r.type} ${r.name}`)).toEqual(b.resources.map((r) => `${r.type} ${r.name}`));
    a.resources.forEach((resource, index) => {
      expect(normalize(JSON.stringify(resource.inputs)), resource.name).toBe(normalize(JSON.stringify(b.resources[index].inputs)));
    });
    expect(byName(a, "lab-net-subnet").inputs.cidrBlock).not.toBe(byName(b, "lab-net-subnet").inputs.cidrBlock);
  });

  it("a third web backend is one more WebBackend, nothing else changes shape", async () => {
    const plan = await planStack({ webServers: JSON.stringify([{ name: "backend1", weight: 60 }, { name: "backend2", weight: 45 }, { name: "backend4", weight: 30 }]) });
    expect(ofType(plan, "haproxy-lab:aws:WebBackend").map((r) => r.name)).toEqual(["lab-backend1", "lab-backend2", "lab-backend4"]);
    expect(byName(plan, "lab-backend3-vm").inputs.privateIp).toBe("192.168.1.24");
  });

  it("SSH, when enabled, reaches the frontend from sshAllowedCidrs and the backends only through it", async () => {
    const plan = await planStack({ sshAllowedCidrs: '["198.51.100.7/32"]', sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0 teacher@lab" });
    expect(rulesOf(byName(plan, "lab-haproxy-sg").inputs, "ingress")).toContainEqual(expect.objectContaining({ fromPort: 22, cidrBlocks: ["198.51.100.7/32"] }));
    expect(rulesOf(byName(plan, "lab-backend1-sg").inputs, "ingress")).toContainEqual(expect.objectContaining({ fromPort: 22, securityGroups: ["lab-haproxy-sg-0mock"] }));
    expect(plan.outputs.sshCommands.value).toMatchObject({ haproxy: "ssh admin@203.0.113.10", backend1: "ssh -J admin@203.0.113.10 admin@192.168.1.21" });
    expect(plan.outputs).not.toHaveProperty("sshPrivateKey");
    expect(String(byName(plan, "lab-backend1-vm").inputs.userData)).toContain("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0 teacher@lab");
  });

  it("a configured stats password is used (and stays secret) instead of a generated one", async () => {
    const plan = await planStack({ statsPassword: "correct-horse" }, "test", ["statsPassword"]);
    expect(ofType(plan, "random:index/randomPassword:RandomPassword")).toHaveLength(0);
    expect(plan.outputs.statsPassword).toEqual({ value: "correct-horse", secret: true });
  });

  it("bring your own network: no VPC or subnet is created", async () => {
    const plan = await planStack({ existingVpcId: "vpc-0123456789abcdef0", existingSubnetId: "subnet-0123456789abcdef0" });
    expect(ofType(plan, "aws:ec2/vpc:Vpc")).toHaveLength(0);
    expect(ofType(plan, "aws:ec2/subnet:Subnet")).toHaveLength(0);
    for (const instance of ofType(plan, "aws:ec2/instance:Instance")) expect(instance.inputs.subnetId).toBe("subnet-0123456789abcdef0");
  });

  it("a class network stack creates only the shared VPC, and a student stack joins it with its own subnet", async () => {
    const network = await planStack({ stackKind: "network", vpcCidr: "10.20.0.0/16" }, "class-net");
    expect(network.resources.map((r) => r.type).sort()).toEqual(["aws:ec2/internetGateway:InternetGateway", "aws:ec2/routeTable:RouteTable", "aws:ec2/vpc:Vpc", "haproxy-lab:aws:ClassNetwork"]);
    expect(Object.keys(network.outputs).sort()).toEqual(["routeTableId", "vpcCidr", "vpcId"]);
    const student = await planStack({ networkStack: "organization/haproxy-lab/class-net", subnetCidr: "10.20.3.0/24" }, "class-ana");
    expect(ofType(student, "aws:ec2/vpc:Vpc")).toHaveLength(0);
    expect(byName(student, "lab-net-subnet").inputs).toMatchObject({ vpcId: "vpc-0classmock", cidrBlock: "10.20.3.0/24" });
    expect(ofType(student, "aws:ec2/routeTableAssociation:RouteTableAssociation")[0].inputs.routeTableId).toBe("rtb-0classmock");
  });

  it("Graviton instance types get the arm64 Debian image", async () => {
    const plan = await planStack({ instanceType: "t4g.small" });
    for (const instance of ofType(plan, "aws:ec2/instance:Instance")) expect(instance.inputs.ami).toBe("ami-0debian12arm64mock");
  });

  it("an invalid config stops the program with every problem, each naming its key", async () => {
    await expect(planStack({ webServers: '[{"name":"backend1","weight":999}]', instanceType: "big" })).rejects.toThrow(/haproxy-lab:webServers\[0\]\.weight[\s\S]*haproxy-lab:instanceType/);
  });
});
