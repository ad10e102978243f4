/**
 * `npm run plan`: what `pulumi up` would create for a stack, computed offline under Pulumi's mocks.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readRawStackConfig, stackSettingsFrom } from "../stack-config";
import { PlanError, runPlan, type PlanResult } from "./engine";

const HELP = `Usage: npm run plan -- [--stack NAME] [--config key=value …] [--json] [--out DIR] [--show-secrets]

Runs the stack program (infra/index.ts) offline, under Pulumi's own mocks: no Pulumi CLI, no AWS
credentials. Loads it the way \`pulumi up\` does (ts-node, type-checked), so what plans here loads there.

Options:
  --stack NAME        read the stack's config from Pulumi.NAME.yaml
  --config key=value  set or override a key (repeatable); the key with or without "haproxy-lab:";
                      lists and objects as JSON, e.g. --config 'webServers=[{"name":"backend1","weight":60}]'
  --json              print { "resources": [{ "type", "name", "parent", "inputs" }], "outputs": {…} }
  --out DIR           write haproxy.cfg and one <host>.user-data.yaml per host into DIR
  --show-secrets      print secrets instead of [secret]
  -h, --help          this text

Without --stack or --config, plans the defaults: the seed's lab (haproxy, backend1, backend2, backend3).
Exit status: 0 planned, 1 the config is invalid or the program failed, 2 usage error.
`;

const SECRET = "[secret]";

function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}

function shownInputs(inputs: Readonly<Record<string, unknown>>, secretInputs: readonly string[], showSecrets: boolean): Record<string, unknown> {
  if (showSecrets) return { ...inputs };
  return Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, secretInputs.includes(key) ? SECRET : value]));
}

function shownOutputs(plan: PlanResult, showSecrets: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(plan.outputs).map(([key, output]) => [key, output.secret && !showSecrets ? SECRET : output.value]));
}

function writeOut(dir: string, plan: PlanResult): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const cfg = plan.outputs.haproxyCfg?.value;
  if (typeof cfg === "string") {
    writeFileSync(join(dir, "haproxy.cfg"), cfg);
    written.push(join(dir, "haproxy.cfg"));
  }
  for (const resource of plan.resources) {
    if (resource.type !== "aws:ec2/instance:Instance") continue;
    const host = (resource.inputs.tags as Record<string, string> | undefined)?.Name ?? resource.name;
    const file = join(dir, `${host}.user-data.yaml`);
    writeFileSync(file, String(resource.inputs.userData ?? ""));
    written.push(file);
  }
  return written;
}

export async function main(argv: readonly string[], root: string): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        config: { type: "string", multiple: true },
        json: { type: "boolean" },
        out: { type: "string" },
        "show-secrets": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`plan: ${(error as Error).message}\nRun npm run plan -- --help for usage.\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const stack = args.stack ?? "dev";
  const raw = readRawStackConfig(root, args.stack, args.config ?? []);
  const problems = [...stackSettingsFrom(raw).problems];
  const statsKey = "haproxy-lab:statsPassword";
  for (const key of raw.encryptedKeys) {
    if (key !== statsKey) problems.push({ severity: "error", path: key, message: "is encrypted in the stack file and cannot be read offline: pass it with --config." });
  }
  if (problems.some((p) => p.severity === "error")) {
    process.stderr.write(`plan: the config has problems:\n${problems.map((p) => `  ${p.severity}: ${p.path}: ${p.message}`).join("\n")}\n`);
    return 1;
  }
  const secretKeys = raw.values[statsKey] !== undefined ? [statsKey] : [];
  if (!args.json) process.stderr.write(`Planning stack "${stack}" under Pulumi's mocks (type-checking the program as pulumi up would)…\n`);
  let plan: PlanResult;
  try {
    plan = await runPlan({ root, stack, config: { "aws:region": "eu-west-1", ...raw.values }, secretKeys });
  } catch (error) {
    if (error instanceof PlanError) {
      process.stderr.write(`plan: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const showSecrets = args["show-secrets"] === true;
  if (args.json) {
    const resources = plan.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent ?? null, inputs: shownInputs(r.inputs, r.secretInputs, showSecrets) }));
    process.stdout.write(`${JSON.stringify({ resources, outputs: shownOutputs(plan, showSecrets) }, null, 2)}\n`);
  } else {
    const rows = [["TYPE", "NAME", "PARENT"], ...plan.resources.map((r) => [r.type, r.name, r.parent ?? "-"])];
    process.stdout.write(`Resources (${plan.resources.length}):\n${formatTable(rows)}\n\nOutputs:\n`);
    for (const [key, value] of Object.entries(shownOutputs(plan, showSecrets))) {
      process.stdout.write(`  ${key}: ${typeof value === "string" && !value.includes("\n") ? value : JSON.stringify(value, null, 2).replace(/\n/g, "\n  ")}\n`);
    }
  }
  if (args.out) {
    const written = writeOut(resolve(args.out), plan);
    process.stderr.write(`Wrote ${written.length} files to ${resolve(args.out)}:\n${written.map((f) => `  ${f}`).join("\n")}\n`);
  }
  return 0;
}
