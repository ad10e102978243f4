import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUserData } from "../../components/cloud-init/parse";
import { sha512Crypt } from "../../components/haproxy";
import { renderLab } from "../../components/lab";
import { planFromConfig, readState } from "../../scripts/lib/local-lab/lab";
import { checkTargetFromState, formatReport, runLabChecks } from "../../scripts/lib/checks";
import { httpGet } from "../../scripts/lib/checks/http";
import { ROOT } from "../helpers/plan";
import { startTestLab, stopTestLab, type TestLab } from "../helpers/local-lab";

const variants: [string, string, string[]][] = [
  ["the defaults (the seed's hosts and weights, tuned profile)", "127.0.11", []],
  ["3 web backends, insert cookies, http-server-close", "127.0.12", [
    'webServers=[{"name":"backend1","weight":60},{"name":"backend2","weight":45},{"name":"backend4","weight":30}]',
    "cookieMode=insert",
    "keepAlive=http-server-close",
  ]],
  ["the seed profile (httpclose, prefix cookies) with 1 s checks to keep failover short", "127.0.13", ["profile=seed", 'healthCheck={"inter":"1s"}']],
];

describe.each(variants)("the local lab: %s", (_label, loopbackNet, config) => {
  let lab: TestLab | undefined;
  beforeAll(async () => {
    lab = await startTestLab(loopbackNet, config);
  }, 120_000);
  afterAll(async () => {
    expect(await stopTestLab(lab)).toEqual([]);
  }, 60_000);

  it("every seed exercise passes as a lab check", async () => {
    const report = await runLabChecks(checkTargetFromState(lab!.state, ROOT), { control: "local", labDir: lab!.labDir });
    expect(report.passed, formatReport(report)).toBe(true);
    expect(report.results.map((r) => [r.id, r.skipped ?? false])).toEqual([
      ["stats", false], ["balancing", false], ["sessions", false], ["static", false], ["keepalive", false], ["failover", false],
    ]);
  }, 120_000);

  it("serves byte-for-byte the files the hosts' user-data writes", async () => {
    const state = readState(lab!.labDir)!;
    const settings = planFromConfig(ROOT, undefined, Object.entries(state.config).map(([k, v]) => `${k}=${v}`));
    const rendered = renderLab(settings.topology, { user: state.statsUser, passwordHash: sha512Crypt(state.statsPassword, state.passwordSalt) }, { maxconn: state.maxconn });
    let compared = 0;
    for (const host of rendered.hosts.filter((h) => h.host.role !== "frontend")) {
      const local = state.hosts.find((h) => h.name === host.host.name)!;
      for (const file of parseUserData(host.userData).write_files ?? []) {
        if (!file.path.startsWith("/var/www/html/")) continue;
        const name = file.path.slice("/var/www/html/".length);
        const expected = typeof file.content === "string" ? Buffer.from(file.content) : Buffer.from(file.content);
        expect(readFileSync(join(local.hostRoot, file.path)).equals(expected), `${host.host.name}:${file.path} on disk`).toBe(true);
        if (name.endsWith(".php")) continue; // PHP runs; its source is compared on disk above
        const response = await fetch(`http://${local.address}:${local.port}/${name}`);
        expect(Buffer.from(await response.arrayBuffer()).equals(expected), `${host.host.name}:${file.path} over HTTP`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  }, 60_000);

  it("status through HAProxy names the host in every response", async () => {
    const response = await httpGet(state().urls.prueba);
    expect(response.headers["x-lab-host"]).toMatch(/^backend\d$/);
  });

  function state() {
    return readState(lab!.labDir)!;
  }
});
