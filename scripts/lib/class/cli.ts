/**
 * `npm run class -- <plan|up|status|handouts|destroy> --roster FILE`: a lab per student.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PulumiBackend } from "../automation/pulumi";
import type { StackBackend, StackConfigValue } from "../automation/backend";
import { runPlan } from "../plan/engine";
import { ProgressDisplay, table } from "./display";
import { handoutMarkdown } from "./handouts";
import { destroyAll, upAll } from "./orchestrate";
import { classCost, DEFAULT_CLASS_OPTIONS, DEFAULT_VPC_QUOTA, planClass, subnetsOverlap, type ClassOptions, type ClassPlan, type NetworkMode, type PriceTable } from "./plan";
import { parseRoster, type Student } from "./roster";

const COMMANDS = ["plan", "up", "status", "handouts", "destroy"] as const;
type Command = (typeof COMMANDS)[number];

const HELP = `Usage: npm run class -- <command> --roster FILE [options]

A lab per student. The roster is a CSV file with a header: id,name,email[,allowedCidr]
(ids become stack names <prefix>-<id>). A roster with errors is rejected, with line numbers,
before anything is created.

Commands:
  plan       offline: every student's plan through the same mock engine as npm run plan, the
             subnet each gets, how many VPCs the class needs, and what it costs
  up         create or update every student's stack (Pulumi Automation API; needs the Pulumi CLI
             and AWS credentials), the class network first; idempotent
  status     every stack's state and stats URL
  handouts   one Markdown file per student (Spanish and English) with URLs, login and exercises
  destroy    destroy and remove the stacks (all, or --only id,…); the class network last

Options:
  --roster FILE          the class roster (required)
  --prefix P             stack name prefix (default ${DEFAULT_CLASS_OPTIONS.prefix})
  --network shared|per-student   one class VPC with a /24 per student (default), or a VPC each
  --class-vpc CIDR       the class VPC (default ${DEFAULT_CLASS_OPTIONS.classVpcCidr})
  --instance-type T      default ${DEFAULT_CLASS_OPTIONS.instanceType}
  --region R             default ${DEFAULT_CLASS_OPTIONS.region}
  --org ORG              Pulumi organization for stack references (self-managed backends: organization)
  --config key=value     extra stack setting for every student (repeatable)
  --concurrency N        stacks deployed at once (default 4)
  --only id,id           restrict up/status/handouts/destroy to these students
  --out DIR              handouts directory (default handouts/)
  --prices FILE          price table (default data/prices/aws-ec2-2026-11.json)
  -h, --help             this text
`;

function fail(message: string): number {
  process.stderr.write(`class: ${message}\n`);
  return 2;
}

const money = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;

async function planCommand(root: string, plan: ClassPlan, options: ClassOptions, prices: PriceTable): Promise<number> {
  const started = Date.now();
  const rows: string[][] = [["student", "stack", "subnet", "frontend", "resources", "result"]];
  let failed = 0;
  let hostsPerStudent = 0;
  for (const [index, student] of plan.students.entries()) {
    if (process.stderr.isTTY) process.stderr.write(`\rplanning ${index + 1}/${plan.students.length} ${student.stack}…`.padEnd(60));
    else if (index % 10 === 0) process.stderr.write(`planning ${index + 1}-${Math.min(index + 10, plan.students.length)} of ${plan.students.length}…\n`);
    const config = Object.fromEntries(Object.entries(student.config).map(([key, value]) => [key, value.value]));
    try {
      const result = await runPlan({ root, stack: student.stack, config });
      const instances = result.resources.filter((r) => r.type === "aws:ec2/instance:Instance");
      hostsPerStudent = Math.max(hostsPerStudent, instances.length);
      const frontend = instances.find((r) => (r.inputs.tags as Record<string, string>)?.Name === "haproxy");
      rows.push([student.student.id, student.stack, student.subnetCidr, String(frontend?.inputs.privateIp ?? "?"), String(result.resources.length), "ok"]);
    } catch (error) {
      failed++;
      rows.push([student.student.id, student.stack, student.subnetCidr, "-", "-", `FAILED: ${(error as Error).message.split("\n").slice(0, 3).join(" ")}`]);
    }
  }
  if (process.stderr.isTTY) process.stderr.write("\r".padEnd(60) + "\r");
  process.stdout.write(`${table(rows)}\n\n`);
  const subnets = plan.students.map((s) => s.subnetCidr);
  process.stdout.write(
    options.network === "shared"
      ? `Network: one class VPC ${options.classVpcCidr} (stack ${plan.networkStack}), one /24 per student; ${subnetsOverlap(subnets) ? "OVERLAPPING subnets!" : "no two subnets overlap"}.\n`
      : `Network: one VPC per student.\n`,
  );
  process.stdout.write(`VPCs needed: ${plan.vpcCount} (AWS's default quota is ${DEFAULT_VPC_QUOTA} per region)${plan.vpcCount > DEFAULT_VPC_QUOTA ? " — over the quota: use --network shared or ask AWS for more" : ""}.\n\n`);
  const cost = classCost(prices, options.region, options.instanceType, hostsPerStudent || 4, plan.students.length);
  process.stdout.write(
    `Cost (${options.instanceType} in ${options.region}, ${hostsPerStudent || 4} hosts each with a public IPv4 and 8 GB gp3; prices of ${prices.date}, ${prices.currency}):\n` +
      `${table([["", "per hour", "per day", "per month"], ...[cost.perStudent, cost.total].map((row) => [row.label, money(row.perHour), money(row.perDay), money(row.perMonth)])])}\n`,
  );
  process.stderr.write(`Planned ${plan.students.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  return failed > 0 ? 1 : 0;
}

function selected(plan: ClassPlan, only: readonly string[] | undefined) {
  if (!only) return plan.students;
  const unknown = only.filter((id) => !plan.students.some((s) => s.student.id === id));
  if (unknown.length > 0) throw new Error(`--only ${unknown.join(",")}: not in the roster`);
  return plan.students.filter((s) => only.includes(s.student.id));
}

async function upCommand(backend: StackBackend, plan: ClassPlan, options: ClassOptions, concurrency: number, only: readonly string[] | undefined): Promise<number> {
  if (plan.networkStack) {
    process.stdout.write(`Class network ${plan.networkStack} (${options.classVpcCidr})…\n`);
    const network: Record<string, StackConfigValue> = {
      "aws:region": { value: options.region },
      "haproxy-lab:stackKind": { value: "network" },
      "haproxy-lab:vpcCidr": { value: options.classVpcCidr },
    };
    const [result] = await upAll(backend, [{ id: "network", stack: plan.networkStack, config: network }], { concurrency: 1 });
    if (result.state !== "ready") {
      process.stderr.write(`class: the class network failed, so no student stack was started: ${result.error}\n`);
      return 1;
    }
  }
  const students = selected(plan, only);
  const display = new ProgressDisplay(students.map((s) => s.student.id));
  const results = await upAll(backend, students.map((s) => ({ id: s.student.id, stack: s.stack, config: s.config, labels: { student: s.student.id } })), {
    concurrency,
    onState: (id, state, detail) => display.update(id, state, detail),
  });
  process.stdout.write(`\n${table([["student", "stack", "state", "stats URL / error"], ...results.map((r) => [r.id, r.stack, r.state, r.state === "ready" ? String(r.outputs?.statsUrl ?? "") : (r.error ?? "")])])}\n`);
  const failed = results.filter((r) => r.state !== "ready").length;
  process.stdout.write(failed > 0 ? `${failed} of ${results.length} failed; re-run the same command to retry them (ready stacks are kept).\n` : `All ${results.length} labs are ready.\n`);
  return failed > 0 ? 1 : 0;
}

export async function main(argv: readonly string[], root: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        roster: { type: "string" },
        prefix: { type: "string" },
        network: { type: "string" },
        "class-vpc": { type: "string" },
        "instance-type": { type: "string" },
        region: { type: "string" },
        org: { type: "string" },
        config: { type: "string", multiple: true },
        concurrency: { type: "string" },
        only: { type: "string" },
        out: { type: "string" },
        prices: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message}\nRun npm run class -- --help for usage.`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const command = positionals[0] as Command;
  if (!COMMANDS.includes(command)) return fail(`unknown command "${positionals[0]}": use one of ${COMMANDS.join(", ")}.`);
  if (!values.roster) return fail("--roster FILE is required (CSV: id,name,email[,allowedCidr]).");
  let rosterText: string;
  try {
    rosterText = readFileSync(resolve(values.roster), "utf8");
  } catch (error) {
    return fail(`cannot read the roster: ${(error as Error).message}`);
  }
  const { students, problems } = parseRoster(rosterText);
  if (problems.length > 0) {
    process.stderr.write(`class: ${values.roster} has ${problems.length} problem(s); nothing was created:\n${problems.map((p) => `  line ${p.line}: ${p.message}`).join("\n")}\n`);
    return 1;
  }
  const network = (values.network ?? DEFAULT_CLASS_OPTIONS.network) as NetworkMode;
  if (network !== "shared" && network !== "per-student") return fail(`--network ${values.network}: use shared or per-student.`);
  const concurrency = Number(values.concurrency ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) return fail(`--concurrency ${values.concurrency}: use an integer from 1 to 32.`);
  const prefix = values.prefix ?? DEFAULT_CLASS_OPTIONS.prefix;
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(prefix)) return fail(`--prefix ${prefix}: use lower-case letters, digits and '-', starting with a letter.`);
  const extraConfig: Record<string, string> = {};
  for (const entry of values.config ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0) return fail(`--config ${entry}: write key=value.`);
    extraConfig[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const options: ClassOptions = {
    prefix,
    network,
    classVpcCidr: values["class-vpc"] ?? DEFAULT_CLASS_OPTIONS.classVpcCidr,
    instanceType: values["instance-type"] ?? DEFAULT_CLASS_OPTIONS.instanceType,
    region: values.region ?? DEFAULT_CLASS_OPTIONS.region,
    networkStackRef: `${values.org ?? "organization"}/haproxy-lab/${prefix}-network`,
    extraConfig,
  };
  let plan: ClassPlan;
  try {
    plan = planClass(students as Student[], options);
  } catch (error) {
    return fail((error as Error).message);
  }
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);

  if (command === "plan") {
    const prices = JSON.parse(readFileSync(resolve(values.prices ?? join(root, "data", "prices", "aws-ec2-2026-11.json")), "utf8")) as PriceTable;
    return planCommand(root, plan, options, prices);
  }
  const backend = new PulumiBackend(root);
  switch (command) {
    case "up":
      return upCommand(backend, plan, options, concurrency, only);
    case "status": {
      const existing = new Set((await backend.list()).map((s) => s.name));
      const rows = [["student", "stack", "state", "stats URL"]];
      for (const student of selected(plan, only)) {
        if (!existing.has(student.stack)) rows.push([student.student.id, student.stack, "absent", ""]);
        else {
          const outputs = await backend.outputs(student.stack).catch(() => ({}) as Record<string, unknown>);
          rows.push([student.student.id, student.stack, outputs.statsUrl ? "deployed" : "empty", String(outputs.statsUrl ?? "")]);
        }
      }
      process.stdout.write(`${table(rows)}\n`);
      return 0;
    }
    case "handouts": {
      const dir = resolve(values.out ?? join(root, "handouts"));
      mkdirSync(dir, { recursive: true });
      for (const student of selected(plan, only)) {
        const outputs = await backend.outputs(student.stack).catch(() => ({}) as Record<string, unknown>);
        writeFileSync(join(dir, `${student.student.id}.md`), handoutMarkdown({ student: student.student, stack: student.stack, outputs }));
      }
      process.stdout.write(`Wrote ${selected(plan, only).length} handouts to ${dir}\n`);
      return 0;
    }
    case "destroy": {
      const students = selected(plan, only);
      const display = new ProgressDisplay(students.map((s) => s.student.id));
      const results = await destroyAll(backend, students.map((s) => ({ id: s.student.id, stack: s.stack })), { concurrency, onState: (id, state, detail) => display.update(id, state, detail) });
      let failed = results.filter((r) => r.state !== "destroyed").length;
      if (!only && plan.networkStack && failed === 0) {
        const [network] = await destroyAll(backend, [{ id: "network", stack: plan.networkStack }], { concurrency: 1 });
        if (network.state !== "destroyed") failed++;
      }
      process.stdout.write(failed > 0 ? `${failed} stack(s) could not be destroyed; re-run to retry.\n` : "Destroyed and removed.\n");
      return failed > 0 ? 1 : 0;
    }
    default:
      return fail(`unknown command ${command}`);
  }
}
