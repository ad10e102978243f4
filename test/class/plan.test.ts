import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cidrContains, parseCidr } from "../../components/lab/ipv4";
import { handoutMarkdown } from "../../scripts/lib/class/handouts";
import { allocateSubnets, classCost, planClass, subnetsOverlap, type PriceTable } from "../../scripts/lib/class/plan";
import { parseRoster } from "../../scripts/lib/class/roster";
import { ROOT } from "../helpers/plan";

const execFileAsync = promisify(execFile);
const prices = JSON.parse(readFileSync(join(ROOT, "data", "prices", "aws-ec2-2026-11.json"), "utf8")) as PriceTable;
const options = { prefix: "lab", network: "shared" as const, classVpcCidr: "10.20.0.0/16", instanceType: "t3.micro", region: "eu-west-1", networkStackRef: "organization/haproxy-lab/lab-network" };

describe("the roster", () => {
  it("reads id, name, email and an optional allowedCidr", () => {
    const { students, problems } = parseRoster("id,name,email,allowedCidr\nana,Ana García,ana@escuela.example.edu,198.51.100.7/32\nbruno,Bruno,bruno@escuela.example.edu,\n");
    expect(problems).toEqual([]);
    expect(students).toEqual([
      { id: "ana", name: "Ana García", email: "ana@escuela.example.edu", allowedCidr: "198.51.100.7/32", line: 2 },
      { id: "bruno", name: "Bruno", email: "bruno@escuela.example.edu", line: 3 },
    ]);
  });

  it("rejects bad lines with their line numbers, and accepts nothing then", () => {
    const { students, problems } = parseRoster(readFileSync(join(ROOT, "test", "fixtures", "roster-bad.csv"), "utf8"));
    expect(students).toEqual([]);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
    expect(problems[1].message).toMatch(/already used on line 2/);
  });

  it("requires the header", () => {
    expect(parseRoster("ana,Ana,ana@x.edu\n").problems[0]).toMatchObject({ line: 1, message: expect.stringMatching(/header/) });
  });
});

describe("class plan", () => {
  it("gives every student a distinct /24 inside the class VPC, for any class size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 255 }), (count) => {
        const subnets = allocateSubnets("10.20.0.0/16", count);
        expect(new Set(subnets).size).toBe(count);
        expect(subnetsOverlap(subnets)).toBe(false);
        for (const subnet of subnets) expect(cidrContains(parseCidr("10.20.0.0/16")!, parseCidr(subnet)!)).toBe(true);
      }),
      { numRuns: 30 },
    );
    expect(() => allocateSubnets("10.20.0.0/24", 2)).toThrow(/larger block/);
  });

  it("a shared class needs one VPC; per-student networks need one each", () => {
    const { students } = parseRoster(readFileSync(join(ROOT, "test", "fixtures", "roster-40.csv"), "utf8"));
    expect(planClass(students, options).vpcCount).toBe(1);
    expect(planClass(students, { ...options, network: "per-student" }).vpcCount).toBe(40);
    const plan = planClass(students, options);
    expect(plan.students[0].config).toMatchObject({ "haproxy-lab:networkStack": { value: "organization/haproxy-lab/lab-network" }, "haproxy-lab:subnetCidr": { value: "10.20.1.0/24" }, "haproxy-lab:allowedCidrs": { value: '["198.51.100.1/32"]' } });
  });

  it("costs 4 hosts × (instance + public IPv4 + 8 GB gp3) per student", () => {
    const { perStudent, total } = classCost(prices, "eu-west-1", "t3.micro", 4, 40);
    const expected = 4 * (0.0114 + 0.005 + (0.088 * 8) / 730);
    expect(perStudent.perHour).toBeCloseTo(expected, 10);
    expect(perStudent.perDay).toBeCloseTo(expected * 24, 10);
    expect(total.perMonth).toBeCloseTo(expected * 730 * 40, 6);
    expect(() => classCost(prices, "eu-west-1", "x9.huge", 4, 1)).toThrow(/no price for x9\.huge/);
  });

  it("handouts carry the URLs, the login and the exercises in Spanish and English", () => {
    const markdown = handoutMarkdown({ student: { id: "ana", name: "Ana", email: "ana@x.edu", line: 2 }, stack: "lab-ana", outputs: { frontendUrl: "http://203.0.113.7/", statsUrl: "http://203.0.113.7/stats", statsUser: "admin", statsPassword: "s3cret" } });
    expect(markdown).toContain("http://203.0.113.7/prueba.php");
    expect(markdown).toContain("`s3cret`");
    expect(markdown).toContain("## Español");
    expect(markdown).toContain("## English");
  });

  it("npm run class -- plan prints 40 plans with distinct subnets, one VPC and the cost table", async () => {
    const { stdout } = await execFileAsync("node", [join(ROOT, "scripts", "class.js"), "plan", "--roster", join(ROOT, "test", "fixtures", "roster-40.csv")], { cwd: ROOT, timeout: 180_000, maxBuffer: 10 * 1024 * 1024 });
    const rows = stdout.split("\n").filter((line) => / ok$/.test(line));
    expect(rows).toHaveLength(40);
    const subnets = rows.map((row) => row.split(/\s+/)[2]);
    expect(new Set(subnets).size).toBe(40);
    expect(stdout).toContain("VPCs needed: 1");
    expect(stdout).toMatch(/total \(40 students\)\s+\$2\.78/);
  }, 180_000);

  it("npm run class -- plan rejects a bad roster, naming each bad line", async () => {
    const failure = await execFileAsync("node", [join(ROOT, "scripts", "class.js"), "plan", "--roster", join(ROOT, "test", "fixtures", "roster-bad.csv")], { cwd: ROOT, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
    expect((failure as { code: number }).code).toBe(1);
    for (const line of [3, 4, 5, 6]) expect((failure as { stderr: string }).stderr).toContain(`line ${line}:`);
  }, 60_000);
});
