/** A class's plan (pure): stack names, subnets, per-student config, VPC count and costs. */
import { cidrsOverlap, formatIpv4, parseCidr } from "../../../components/lab/ipv4";
import type { StackConfigValue } from "../automation/backend";
import type { Student } from "./roster";

export type NetworkMode = "shared" | "per-student";

export interface ClassOptions {
  readonly prefix: string;
  readonly network: NetworkMode;
  /** The class VPC (shared mode): one /24 per student inside it. */
  readonly classVpcCidr: string;
  readonly instanceType: string;
  readonly region: string;
  /** The network stack's fully qualified name, as student stacks reference it. */
  readonly networkStackRef: string;
  readonly extraConfig?: Readonly<Record<string, string>>;
}

export const DEFAULT_CLASS_OPTIONS: Omit<ClassOptions, "networkStackRef"> = {
  prefix: "lab",
  network: "shared",
  classVpcCidr: "10.20.0.0/16",
  instanceType: "t3.micro",
  region: "eu-west-1",
};

export interface StudentPlan {
  readonly student: Student;
  readonly stack: string;
  readonly subnetCidr: string;
  readonly config: Readonly<Record<string, StackConfigValue>>;
}

export interface ClassPlan {
  readonly networkStack?: string;
  readonly students: readonly StudentPlan[];
  readonly vpcCount: number;
}

/** AWS's default VPC quota per region. */
export const DEFAULT_VPC_QUOTA = 5;

/** One /24 per student inside the class VPC, in roster order (.1.0, .2.0, …); never overlapping. */
export function allocateSubnets(classVpcCidr: string, count: number): string[] {
  const vpc = parseCidr(classVpcCidr);
  if (!vpc || vpc.prefix > 24) throw new Error(`class VPC ${classVpcCidr} must be an IPv4 block of /24 or larger`);
  const available = vpc.size / 256 - 1; // the first /24 stays free for the class's own use
  if (count > available) throw new Error(`${count} students need ${count} /24 subnets but ${classVpcCidr} holds ${available}: use a larger block`);
  return Array.from({ length: count }, (_, index) => `${formatIpv4(vpc.network + (index + 1) * 256)}/24`);
}

export function subnetsOverlap(subnets: readonly string[]): boolean {
  const parsed = subnets.map((s) => parseCidr(s)!);
  return parsed.some((a, i) => parsed.some((b, j) => i < j && cidrsOverlap(a, b)));
}

export function planClass(students: readonly Student[], options: ClassOptions): ClassPlan {
  const shared = options.network === "shared";
  const subnets = shared ? allocateSubnets(options.classVpcCidr, students.length) : students.map(() => "192.168.1.0/24");
  const plans = students.map((student, index): StudentPlan => {
    const config: Record<string, StackConfigValue> = {
      "aws:region": { value: options.region },
      "haproxy-lab:student": { value: student.id },
      "haproxy-lab:subnetCidr": { value: subnets[index] },
      "haproxy-lab:instanceType": { value: options.instanceType },
      ...(shared ? { "haproxy-lab:networkStack": { value: options.networkStackRef } } : {}),
      ...(student.allowedCidr ? { "haproxy-lab:allowedCidrs": { value: JSON.stringify([student.allowedCidr]) } } : {}),
      ...Object.fromEntries(Object.entries(options.extraConfig ?? {}).map(([key, value]) => [key.includes(":") ? key : `haproxy-lab:${key}`, { value }])),
    };
    return { student, stack: `${options.prefix}-${student.id}`, subnetCidr: subnets[index], config };
  });
  return { ...(shared ? { networkStack: `${options.prefix}-network` } : {}), students: plans, vpcCount: shared ? 1 : students.length };
}

export interface PriceTable {
  readonly date: string;
  readonly source: string;
  readonly currency: string;
  readonly publicIpv4PerHour: number;
  readonly gp3PerGbMonth: Readonly<Record<string, number>>;
  readonly hoursPerMonth: number;
  readonly instancePerHour: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface CostRow {
  readonly label: string;
  readonly perHour: number;
  readonly perDay: number;
  readonly perMonth: number;
}

/** Hosts × (instance + public IPv4 + 8 GB gp3) per student; the total for the class. */
export function classCost(prices: PriceTable, region: string, instanceType: string, hostsPerStudent: number, students: number): { perStudent: CostRow; total: CostRow } {
  const instance = prices.instancePerHour[region]?.[instanceType];
  if (instance === undefined) {
    const known = Object.keys(prices.instancePerHour[region] ?? {}).join(", ");
    throw new Error(`no price for ${instanceType} in ${region} in the ${prices.date} table (${known ? `known: ${known}` : `regions: ${Object.keys(prices.instancePerHour).join(", ")}`})`);
  }
  const gp3 = ((prices.gp3PerGbMonth[region] ?? 0.08) * 8) / prices.hoursPerMonth;
  const perHour = hostsPerStudent * (instance + prices.publicIpv4PerHour + gp3);
  const row = (label: string, hourly: number): CostRow => ({ label, perHour: hourly, perDay: hourly * 24, perMonth: hourly * prices.hoursPerMonth });
  return { perStudent: row("per student", perHour), total: row(`total (${students} students)`, perHour * students) };
}
