import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { cloudInitSchemaAll } from "../helpers/cloud-init";
import { haproxyCheck } from "../helpers/haproxy";
import { ROOT } from "../helpers/plan";

const execFileAsync = promisify(execFile);

/** `npm run plan` as a user runs it: node scripts/plan.js, loading TypeScript through Pulumi's ts-node. */
async function plan(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync("node", [join(ROOT, "scripts", "plan.js"), ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function filesPassRealTools(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  const cfg = await haproxyCheck(await readFile(join(dir, "haproxy.cfg"), "utf8"));
  expect(cfg.ok, cfg.output).toBe(true);
  const userData: Record<string, string> = {};
  for (const name of names.filter((n) => n.endsWith(".user-data.yaml"))) userData[name] = await readFile(join(dir, name), "utf8");
  const results = await cloudInitSchemaAll(userData);
  for (const [name, result] of Object.entries(results)) expect(result.valid, `${name}: ${result.output}`).toBe(true);
  return names;
}

describe("npm run plan", () => {
  it("--out writes the seed lab's haproxy.cfg and four user-data files that real haproxy and cloud-init accept", async () => {
    const dir = await mkdtemp(join(tmpdir(), "plan-out-"));
    dirs.push(dir);
    const result = await plan(["--out", dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/aws:ec2\/instance:Instance\s+lab-haproxy-vm\s+lab-haproxy/);
    expect(result.stdout).toContain("statsPassword: [secret]");
    expect(await filesPassRealTools(dir)).toEqual(["backend1.user-data.yaml", "backend2.user-data.yaml", "backend3.user-data.yaml", "haproxy.cfg", "haproxy.user-data.yaml"]);
  }, 120_000);

  it("a 3-web-backend variant, as --json, lists the extra host and hides secrets", async () => {
    const dir = await mkdtemp(join(tmpdir(), "plan-out-"));
    dirs.push(dir);
    const result = await plan(["--json", "--out", dir, "--config", 'webServers=[{"name":"backend1","weight":60},{"name":"backend2","weight":45},{"name":"backend4","weight":30}]', "--config", "haproxy-lab:keepAlive=http-server-close"]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[]; outputs: Record<string, unknown> };
    expect(json.resources.filter((r) => r.type === "aws:ec2/instance:Instance")).toHaveLength(5);
    expect(json.resources.find((r) => r.name === "lab-backend4-vm")).toMatchObject({ parent: "lab-backend4", inputs: { privateIp: "192.168.1.23", userData: "[secret]" } });
    expect(json.outputs).toMatchObject({ statsPassword: "[secret]", haproxyCfg: "[secret]", statsUser: "admin" });
    const names = await filesPassRealTools(dir);
    expect(names).toContain("backend4.user-data.yaml");
    expect(await readFile(join(dir, "haproxy.cfg"), "utf8")).toContain("option http-server-close");
  }, 120_000);

  it("a bad config exits non-zero and names every bad key", async () => {
    const result = await plan(["--config", "keepAlive=forceclose", "--config", 'webServers=[{"name":"backend1","weight":300}]', "--config", "webserver=1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("haproxy-lab:keepAlive");
    expect(result.stderr).toContain("haproxy-lab:webServers[0].weight");
    expect(result.stderr).toMatch(/haproxy-lab:webserver: is not a haproxy-lab setting\. Did you mean 'webServers'\?/);
  }, 120_000);

  it("--stack reads Pulumi.<stack>.yaml and says how to create a missing one", async () => {
    const result = await plan(["--stack", "no-such-stack"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Pulumi\.no-such-stack\.yaml/);
  }, 60_000);
});
