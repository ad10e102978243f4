/**
 * The stack's configuration, pure: every key of the `haproxy-lab` namespace, typed, with defaults
 * and validation that names the key and the fix. `parseStackConfig` takes a key → raw string
 * lookup, so the stack (infra/config.ts reads pulumi.Config), the offline plan, the local lab and
 * the class scripts all validate config the same way.
 */
import type { ConfigProblem } from "../components/haproxy/model";
import {
  cidrContains,
  parseCidr,
  planLabTopology,
  resolveLabSettings,
  type LabSettings,
  type LabSettingsInput,
  type LabTopology,
} from "../components/lab";

export const NAMESPACE = "haproxy-lab";

export type StackKind = "lab" | "network";

/** Every key this program reads, for help texts and the example stack file. */
export const CONFIG_KEYS = [
  "stackKind", "student", "vpcCidr", "subnetCidr", "webServers", "staticServers", "staticExtensions", "balance",
  "cookieMode", "keepAlive", "healthCheck", "profile", "statsUser", "statsPassword", "allowedCidrs", "sshAllowedCidrs",
  "sshPublicKey", "instanceType", "existingVpcId", "existingSubnetId", "networkStack", "availabilityZone",
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Keys whose values are JSON (lists and objects). */
const JSON_KEYS: ReadonlySet<ConfigKey> = new Set(["webServers", "staticServers", "staticExtensions", "healthCheck", "allowedCidrs", "sshAllowedCidrs"]);
/** Keys that feed `resolveLabSettings`. */
const LAB_KEYS = ["student", "subnetCidr", "webServers", "staticServers", "staticExtensions", "balance", "cookieMode", "keepAlive", "healthCheck", "statsUser", "profile"] as const;

export const DEFAULT_VPC_CIDR = "192.168.0.0/16";
export const DEFAULT_INSTANCE_TYPE = "t3.micro";
export const DEFAULT_ALLOWED_CIDRS: readonly string[] = ["0.0.0.0/0"];

export interface StackSettings {
  readonly kind: StackKind;
  readonly lab: LabSettings;
  readonly topology: LabTopology;
  readonly vpcCidr: string;
  readonly allowedCidrs: readonly string[];
  readonly sshAllowedCidrs: readonly string[];
  readonly sshPublicKey?: string;
  readonly instanceType: string;
  readonly availabilityZone?: string;
  readonly existingVpcId?: string;
  readonly existingSubnetId?: string;
  /** A stack reference (`org/project/stack`) to a `stackKind: network` stack whose VPC this lab joins. */
  readonly networkStack?: string;
}

export class StackConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `The stack configuration has ${problems.filter((p) => p.severity === "error").length} problem(s):\n` +
        problems.map((p) => `  ${p.severity}: ${p.path}: ${p.message}`).join("\n") +
        `\nSet a key with: pulumi config set ${NAMESPACE}:<key> <value>  (JSON for lists and objects).`,
    );
    this.name = "StackConfigError";
  }
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const SSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( [^\n\r]*)?$/;
const STACK_REFERENCE = /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/;

function key(name: string): string {
  return `${NAMESPACE}:${name}`;
}

function parseCidrList(name: ConfigKey, value: unknown, problems: ConfigProblem[]): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    problems.push({ severity: "error", path: key(name), message: `must be a JSON list of CIDR blocks, e.g. ["203.0.113.0/24"]; got ${JSON.stringify(value)}.` });
    return [];
  }
  value.forEach((item: string, index) => {
    const cidr = parseCidr(item);
    if (!cidr) problems.push({ severity: "error", path: `${key(name)}[${index}]`, message: `${JSON.stringify(item)} is not an IPv4 CIDR block: write e.g. "203.0.113.7/32" for one address.` });
    else if (cidr.network !== cidr.address) problems.push({ severity: "error", path: `${key(name)}[${index}]`, message: `${item} has host bits set: did you mean "${cidr.networkText}/${cidr.prefix}"?` });
  });
  return value as string[];
}

/**
 * Parses and validates raw config values (as `pulumi config` stores them: strings, JSON for
 * structured keys). Returns every problem at once; `settings` only when there is no error.
 */
export function parseStackConfig(get: (name: ConfigKey) => string | undefined): { settings?: StackSettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const values = new Map<ConfigKey, unknown>();
  for (const name of CONFIG_KEYS) {
    const raw = get(name);
    if (raw === undefined) continue;
    if (JSON_KEYS.has(name)) {
      try {
        values.set(name, JSON.parse(raw));
      } catch {
        problems.push({ severity: "error", path: key(name), message: `is not valid JSON (${JSON.stringify(raw.slice(0, 60))}): quote it for your shell, e.g. pulumi config set ${key(name)} '[{"name":"backend1","weight":60}]'.` });
      }
    } else {
      values.set(name, raw);
    }
  }

  const kind = (values.get("stackKind") ?? "lab") as StackKind;
  if (kind !== "lab" && kind !== "network") {
    problems.push({ severity: "error", path: key("stackKind"), message: `${JSON.stringify(kind)} is not a stack kind: use "lab" (a student's lab, the default) or "network" (a class's shared VPC).` });
  }

  const labInput: Record<string, unknown> = {};
  for (const name of LAB_KEYS) if (values.has(name)) labInput[name] = values.get(name);
  const lab = resolveLabSettings(labInput as LabSettingsInput);
  problems.push(...lab.problems.map((p) => ({ ...p, path: key(p.path) })));

  const vpcCidr = (values.get("vpcCidr") as string | undefined) ?? DEFAULT_VPC_CIDR;
  const vpc = parseCidr(vpcCidr);
  if (!vpc || vpc.prefix < 16 || vpc.prefix > 28) {
    problems.push({ severity: "error", path: key("vpcCidr"), message: `${JSON.stringify(vpcCidr)} is not a usable VPC block: AWS takes IPv4 CIDRs from /16 to /28, e.g. "192.168.0.0/16".` });
  } else if (lab.settings && kind === "lab" && !values.has("existingVpcId") && !values.has("networkStack")) {
    const subnet = parseCidr(lab.settings.subnetCidr);
    if (subnet && !cidrContains(vpc, subnet)) {
      problems.push({ severity: "error", path: key("subnetCidr"), message: `${lab.settings.subnetCidr} is not inside vpcCidr ${vpcCidr}: pick a subnet of the VPC (e.g. ${vpc.networkText.split(".").slice(0, 2).join(".")}.1.0/24) or widen vpcCidr.` });
    }
  }

  const allowedCidrs = values.has("allowedCidrs") ? parseCidrList("allowedCidrs", values.get("allowedCidrs"), problems) : [...DEFAULT_ALLOWED_CIDRS];
  if (values.has("allowedCidrs") && allowedCidrs.length === 0) {
    problems.push({ severity: "error", path: key("allowedCidrs"), message: "is empty, so nobody could open the lab: list who may reach HTTP and the stats page (e.g. your address as x.x.x.x/32)." });
  }
  const sshAllowedCidrs = values.has("sshAllowedCidrs") ? parseCidrList("sshAllowedCidrs", values.get("sshAllowedCidrs"), problems) : [];
  if (sshAllowedCidrs.includes("0.0.0.0/0")) {
    problems.push({ severity: "warning", path: key("sshAllowedCidrs"), message: "opens SSH to the whole internet: prefer your own address (x.x.x.x/32)." });
  }

  const sshPublicKey = values.get("sshPublicKey") as string | undefined;
  if (sshPublicKey !== undefined && !SSH_PUBLIC_KEY.test(sshPublicKey.trim())) {
    problems.push({ severity: "error", path: key("sshPublicKey"), message: "is not an OpenSSH public key: paste one line such as the content of ~/.ssh/id_ed25519.pub (\"ssh-ed25519 AAAA… you@host\")." });
  }

  const instanceType = (values.get("instanceType") as string | undefined) ?? DEFAULT_INSTANCE_TYPE;
  if (!INSTANCE_TYPE.test(instanceType)) {
    problems.push({ severity: "error", path: key("instanceType"), message: `${JSON.stringify(instanceType)} is not an EC2 instance type: use e.g. "t3.micro" or "t4g.small".` });
  }

  const existingVpcId = values.get("existingVpcId") as string | undefined;
  const existingSubnetId = values.get("existingSubnetId") as string | undefined;
  if (existingVpcId !== undefined && !/^vpc-[0-9a-f]{8,17}$/.test(existingVpcId)) {
    problems.push({ severity: "error", path: key("existingVpcId"), message: `${JSON.stringify(existingVpcId)} is not a VPC id: it looks like "vpc-0abc12345def67890".` });
  }
  if (existingSubnetId !== undefined && !/^subnet-[0-9a-f]{8,17}$/.test(existingSubnetId)) {
    problems.push({ severity: "error", path: key("existingSubnetId"), message: `${JSON.stringify(existingSubnetId)} is not a subnet id: it looks like "subnet-0abc12345def67890".` });
  }
  if ((existingVpcId === undefined) !== (existingSubnetId === undefined)) {
    problems.push({ severity: "error", path: key(existingVpcId === undefined ? "existingVpcId" : "existingSubnetId"), message: "existingVpcId and existingSubnetId go together: set both (your VPC and a public subnet in it whose CIDR is subnetCidr) or neither." });
  }
  const networkStack = values.get("networkStack") as string | undefined;
  if (networkStack !== undefined) {
    if (!STACK_REFERENCE.test(networkStack)) {
      problems.push({ severity: "error", path: key("networkStack"), message: `${JSON.stringify(networkStack)} is not a stack reference: write org/project/stack (self-managed backends use "organization" as the org).` });
    }
    if (existingVpcId !== undefined) {
      problems.push({ severity: "error", path: key("networkStack"), message: "networkStack and existingVpcId both choose the network: keep one." });
    }
  }
  if (kind === "network" && (existingVpcId !== undefined || networkStack !== undefined)) {
    problems.push({ severity: "error", path: key("stackKind"), message: "a network stack creates the class VPC itself: remove existingVpcId/networkStack from it." });
  }
  const availabilityZone = values.get("availabilityZone") as string | undefined;
  if (availabilityZone !== undefined && !/^[a-z]{2}-[a-z]+-\d[a-z]$/.test(availabilityZone)) {
    problems.push({ severity: "error", path: key("availabilityZone"), message: `${JSON.stringify(availabilityZone)} is not an availability zone name such as "eu-west-1a".` });
  }

  if (problems.some((p) => p.severity === "error") || !lab.settings) return { problems };
  return {
    problems,
    settings: {
      kind,
      lab: lab.settings,
      topology: planLabTopology(lab.settings),
      vpcCidr,
      allowedCidrs,
      sshAllowedCidrs,
      ...(sshPublicKey !== undefined ? { sshPublicKey: sshPublicKey.trim() } : {}),
      instanceType,
      ...(availabilityZone !== undefined ? { availabilityZone } : {}),
      ...(existingVpcId !== undefined ? { existingVpcId } : {}),
      ...(existingSubnetId !== undefined ? { existingSubnetId } : {}),
      ...(networkStack !== undefined ? { networkStack } : {}),
    },
  };
}

