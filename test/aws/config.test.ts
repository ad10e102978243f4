import { describe, expect, it } from "vitest";
import { parseStackConfig, type ConfigKey } from "../../infra/settings";

const parse = (values: Partial<Record<ConfigKey, string>>) => parseStackConfig((name) => values[name]);

describe("stack config", () => {
  it("defaults to the seed's lab in its own VPC", () => {
    const { settings, problems } = parse({});
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ kind: "lab", vpcCidr: "192.168.0.0/16", instanceType: "t3.micro", allowedCidrs: ["0.0.0.0/0"], sshAllowedCidrs: [] });
    expect(settings?.topology.hosts.map((h) => h.name)).toEqual(["haproxy", "backend1", "backend2", "backend3"]);
  });

  it.each<[string, Partial<Record<ConfigKey, string>>, string, RegExp]>([
    ["student with a space", { student: "ana maria" }, "haproxy-lab:student", /student id/],
    ["vpcCidr not a CIDR", { vpcCidr: "10.0.0.0" }, "haproxy-lab:vpcCidr", /\/16 to \/28/],
    ["vpcCidr too large", { vpcCidr: "10.0.0.0/8" }, "haproxy-lab:vpcCidr", /\/16 to \/28/],
    ["subnetCidr outside the VPC", { subnetCidr: "10.9.1.0/24" }, "haproxy-lab:subnetCidr", /not inside vpcCidr/],
    ["subnetCidr not a CIDR", { subnetCidr: "x" }, "haproxy-lab:subnetCidr", /CIDR/],
    ["webServers not JSON", { webServers: "backend1:60" }, "haproxy-lab:webServers", /not valid JSON/],
    ["webServers weight out of range", { webServers: '[{"name":"backend1","weight":-5}]' }, "haproxy-lab:webServers[0].weight", /0 to 256/],
    ["staticServers duplicate name", { staticServers: '[{"name":"backend1","weight":1}]' }, "haproxy-lab:staticServers[0].name", /already used/],
    ["staticExtensions without dots", { staticExtensions: '["png"]' }, "haproxy-lab:staticExtensions[0]", /dot/],
    ["balance unknown", { balance: "weighted" }, "haproxy-lab:balance", /roundrobin/],
    ["cookieMode unknown", { cookieMode: "sticky" }, "haproxy-lab:cookieMode", /prefix/],
    ["keepAlive unknown", { keepAlive: "forceclose" }, "haproxy-lab:keepAlive", /http-server-close/],
    ["healthCheck inter without unit", { healthCheck: '{"inter":"10000"}' }, "haproxy-lab:healthCheck.inter", /unit/],
    ["healthCheck not JSON", { healthCheck: "fast" }, "haproxy-lab:healthCheck", /not valid JSON/],
    ["profile unknown", { profile: "fast" }, "haproxy-lab:profile", /tuned, seed/],
    ["statsUser with a colon", { statsUser: "a:b" }, "haproxy-lab:statsUser", /user name/],
    ["allowedCidrs not a list", { allowedCidrs: '"0.0.0.0/0"' }, "haproxy-lab:allowedCidrs", /JSON list/],
    ["allowedCidrs empty", { allowedCidrs: "[]" }, "haproxy-lab:allowedCidrs", /nobody/],
    ["allowedCidrs with a bad entry", { allowedCidrs: '["1.2.3.4"]' }, "haproxy-lab:allowedCidrs[0]", /\/32/],
    ["sshAllowedCidrs with host bits", { sshAllowedCidrs: '["198.51.100.7/24"]' }, "haproxy-lab:sshAllowedCidrs[0]", /198\.51\.100\.0\/24/],
    ["sshPublicKey not a key", { sshPublicKey: "hello" }, "haproxy-lab:sshPublicKey", /OpenSSH public key/],
    ["instanceType malformed", { instanceType: "micro" }, "haproxy-lab:instanceType", /t3\.micro/],
    ["existingVpcId malformed", { existingVpcId: "vpc1", existingSubnetId: "subnet-0123456789abcdef0" }, "haproxy-lab:existingVpcId", /vpc-/],
    ["existingSubnetId without existingVpcId", { existingSubnetId: "subnet-0123456789abcdef0" }, "haproxy-lab:existingVpcId", /go together/],
    ["networkStack malformed", { networkStack: "a b" }, "haproxy-lab:networkStack", /org\/project\/stack/],
    ["networkStack with existingVpcId", { networkStack: "o/p/s", existingVpcId: "vpc-0123456789abcdef0", existingSubnetId: "subnet-0123456789abcdef0" }, "haproxy-lab:networkStack", /keep one/],
    ["stackKind unknown", { stackKind: "shared" }, "haproxy-lab:stackKind", /network/],
    ["availabilityZone malformed", { availabilityZone: "west" }, "haproxy-lab:availabilityZone", /eu-west-1a/],
  ])("rejects %s, naming the key", (_label, values, path, message) => {
    const { settings, problems } = parse(values);
    expect(settings).toBeUndefined();
    const problem = problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it("warns when SSH is opened to the whole internet", () => {
    const { settings, problems } = parse({ sshAllowedCidrs: '["0.0.0.0/0"]' });
    expect(settings).toBeDefined();
    expect(problems).toContainEqual(expect.objectContaining({ severity: "warning", path: "haproxy-lab:sshAllowedCidrs" }));
  });
});
