import { describe, expect, it } from "vitest";
import { byName, ofType, planStack } from "../helpers/plan";

const SSH = { sshAllowedCidrs: '["198.51.100.7/32"]' };

describe("readiness and live HAProxy changes", () => {
  it("with SSH closed (the default), up waits on the stats page from where Pulumi runs, the password off the command line", async () => {
    const plan = await planStack();
    expect(ofType(plan, "command:remote:Command")).toHaveLength(0);
    const poll = byName(plan, "lab-ready-stats");
    expect(poll.parent).toBe("lab-ready");
    expect(String(poll.inputs.create)).toContain("curl -fsS --max-time 5 -K -");
    expect(String(poll.inputs.create)).not.toContain("mockStatsPassword123");
    expect(poll.inputs.environment).toMatchObject({ STATS_URL: "http://203.0.113.10/stats", STATS_USER: "admin", SERVERS: "backend1 backend2 backend3" });
    expect(poll.secretInputs).toContain("environment");
    expect(String(byName(plan, "lab-haproxy-vm").inputs.userData)).toContain("haproxy.cfg.staged");
  });

  it("with SSH open, up waits for cloud-init on every host (backends through the frontend) and pushes haproxy.cfg", async () => {
    const plan = await planStack(SSH);
    expect(ofType(plan, "tls:index/privateKey:PrivateKey")[0].inputs.algorithm).toBe("ED25519");
    const waits = ofType(plan, "command:remote:Command").filter((c) => c.name.endsWith("-cloud-init"));
    expect(waits.map((w) => w.name).sort()).toEqual(["lab-backend1-ready-cloud-init", "lab-backend2-ready-cloud-init", "lab-backend3-ready-cloud-init", "lab-haproxy-ready-cloud-init"]);
    for (const wait of waits) {
      expect(String(wait.inputs.create)).toContain("timeout 900 cloud-init status --wait");
      expect(wait.inputs.triggers).toHaveLength(1);
    }
    expect(byName(plan, "lab-backend1-ready-cloud-init").inputs.connection).toMatchObject({ host: "192.168.1.21", user: "admin", proxy: { host: "203.0.113.10" }, dialErrorLimit: 40 });
    const push = byName(plan, "lab-haproxy-cfg-apply");
    expect(String(push.inputs.create)).toContain("/usr/local/sbin/haproxy-lab-apply --staged /etc/haproxy/haproxy.cfg.pushed --target /etc/haproxy/haproxy.cfg --reload systemd");
    expect(push.inputs.stdin).toBe(plan.outputs.haproxyCfg.value);
    expect(push.secretInputs).toContain("stdin");
    expect(String(byName(plan, "lab-haproxy-vm").inputs.userData)).not.toContain("haproxy.cfg.staged");
    expect(plan.outputs.sshPrivateKey.secret).toBe(true);
  });

  it("a change of HAProxy settings alone changes only the config push's inputs, never an input that would replace a VM", async () => {
    const before = await planStack(SSH);
    const after = await planStack({ ...SSH, keepAlive: "http-server-close", webServers: '[{"name":"backend1","weight":80},{"name":"backend2","weight":20}]', healthCheck: '{"inter":"2s"}' });
    expect(after.resources.map((r) => r.name)).toEqual(before.resources.map((r) => r.name));
    const changed = after.resources.filter((r, i) => JSON.stringify(r.inputs) !== JSON.stringify(before.resources[i].inputs)).map((r) => r.name);
    expect(changed).toEqual(["lab-haproxy-cfg-apply"]);
    const [a, b] = [byName(before, "lab-haproxy-cfg-apply"), byName(after, "lab-haproxy-cfg-apply")];
    expect(a.inputs.create).toBe(b.inputs.create);
    expect(a.inputs.triggers).not.toEqual(b.inputs.triggers);
  });

  it("without SSH the same change reaches the frontend by replacing it (user-data changes, backends untouched)", async () => {
    const before = await planStack();
    const after = await planStack({ keepAlive: "http-server-close" });
    const changed = after.resources.filter((r, i) => JSON.stringify(r.inputs) !== JSON.stringify(before.resources[i].inputs)).map((r) => r.name);
    expect(changed).toEqual(["lab-haproxy-vm"]);
  });
});
