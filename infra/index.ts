/**
 * The haproxy-lab stack: `pulumi up` gives a student the seed's whole lab on AWS. Everything the
 * lab is made of comes from the pure plan (components/lab); this file reads the stack config,
 * creates the components and exports what a student needs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { ClassNetwork, HaproxyLab, type LabNetworkSource } from "../components/aws";
import { sha512Crypt } from "../components/haproxy";
import { labUrls, maxconnForInstanceType, renderLab, type LabUrls } from "../components/lab";
import { loadStackConfig, NAMESPACE } from "./config";

const { settings, statsPassword: configuredPassword, warnings } = loadStackConfig();
for (const warning of warnings) pulumi.log.warn(`${warning.path}: ${warning.message}`);

const stack = pulumi.getStack();
const tags = { project: "haproxy-lab", stack, student: settings.lab.student };

function labStack() {
  const { topology } = settings;
  const statsUser = settings.lab.statsUser;
  // The clear password lives only in Pulumi's state, as a secret; the VMs get a SHA-512 hash.
  const statsPassword = configuredPassword ?? pulumi.secret(new random.RandomPassword("stats-password", { length: 20, special: false }).result);
  // A stable salt keeps the hash, and so the user-data, the same from one `up` to the next.
  const salt = new random.RandomString("stats-password-salt", { length: 16, special: false }).result;
  // With SSH open to where Pulumi runs, the stack waits for cloud-init over SSH and pushes
  // haproxy.cfg live; the key is the stack's own unless sshPublicKey is given (then ssh-agent).
  const sshEnabled = settings.sshAllowedCidrs.length > 0;
  const managedKey = sshEnabled && !settings.sshPublicKey ? new tls.PrivateKey("ssh-key", { algorithm: "ED25519" }) : undefined;
  const authorizedKey: pulumi.Input<string | undefined> = settings.sshPublicKey ?? managedKey?.publicKeyOpenssh.apply((key) => key.trim());
  const { maxconn, known } = maxconnForInstanceType(settings.instanceType);
  if (!known) pulumi.log.warn(`${NAMESPACE}:instanceType ${settings.instanceType} is not in the memory table; HAProxy's maxconn is sized for 512 MiB (${maxconn}).`);
  const rendered = pulumi.secret(
    pulumi.all([statsPassword, salt, authorizedKey]).apply(([password, saltText, key]) =>
      renderLab(topology, { user: statsUser, passwordHash: sha512Crypt(password, saltText) }, {
        ...(key ? { sshAuthorizedKeys: [key] } : {}),
        haproxyDelivery: sshEnabled ? "push" : "user-data",
        maxconn,
      }),
    ),
  );
  const userData = rendered.apply((lab) => Object.fromEntries(lab.hosts.map((host) => [host.host.name, host.userData])));

  let network: LabNetworkSource;
  if (settings.existingVpcId && settings.existingSubnetId) {
    network = { kind: "existing", vpcId: settings.existingVpcId, subnetId: settings.existingSubnetId };
  } else if (settings.networkStack) {
    const classNetwork = new pulumi.StackReference(settings.networkStack);
    network = { kind: "shared", vpcId: classNetwork.requireOutput("vpcId") as pulumi.Output<string>, routeTableId: classNetwork.requireOutput("routeTableId") as pulumi.Output<string> };
  } else {
    network = { kind: "own", vpcCidr: settings.vpcCidr };
  }

  const lab = new HaproxyLab("lab", {
    topology,
    userData,
    network,
    ...(settings.availabilityZone ? { availabilityZone: settings.availabilityZone } : {}),
    instanceType: settings.instanceType,
    allowedCidrs: settings.allowedCidrs,
    sshAllowedCidrs: settings.sshAllowedCidrs,
    tags,
    readiness: sshEnabled
      ? {
          kind: "ssh",
          haproxyCfg: rendered.apply((r) => r.haproxyCfg),
          ...(managedKey ? { privateKey: managedKey.privateKeyOpenssh } : { agentSocketPath: process.env.SSH_AUTH_SOCK ?? "" }),
        }
      : { kind: "http", statsUser, statsPassword, statsPath: topology.statsPath },
  });

  const base = pulumi.interpolate`http://${lab.frontendPublicIp}`;
  const urls: pulumi.Output<LabUrls> = base.apply((url) => labUrls(url, topology));
  const sshCommands = lab.hosts.apply((hosts) => {
    const frontendIp = hosts[topology.frontend.name].publicIp;
    if (settings.sshAllowedCidrs.length === 0) {
      return { note: `SSH is closed: set ${NAMESPACE}:sshAllowedCidrs (your address as x.x.x.x/32) and ${NAMESPACE}:sshPublicKey, then pulumi up.` };
    }
    // With the stack's own key: pulumi stack output sshPrivateKey --show-secrets > lab-key && chmod 600 lab-key
    const identity = managedKey ? "-i lab-key " : "";
    const jump = managedKey ? `-o ProxyCommand="ssh -i lab-key -W %h:%p admin@${frontendIp}"` : `-J admin@${frontendIp}`;
    const commands: Record<string, string> = {};
    for (const host of topology.hosts) {
      commands[host.name] = host.role === "frontend" ? `ssh ${identity}admin@${frontendIp}` : `ssh ${identity}${jump} admin@${host.privateIp}`;
    }
    return commands;
  });
  return {
    frontendUrl: urls.apply((u) => u.frontend),
    statsUrl: urls.apply((u) => u.stats),
    statsUser: pulumi.output(statsUser),
    statsPassword: pulumi.secret(statsPassword),
    labUrls: urls.apply((u) => ({ prueba: u.prueba, sesiones: u.sesiones, static: u.static })),
    hosts: lab.hosts,
    haproxyCfg: pulumi.secret(rendered.apply((r) => r.haproxyCfg)),
    sshCommands,
    ...(managedKey ? { sshPrivateKey: pulumi.secret(managedKey.privateKeyOpenssh) } : {}),
  };
}

function networkStack() {
  const network = new ClassNetwork("class", { vpcCidr: settings.vpcCidr, tags });
  return { vpcId: network.vpcId, vpcCidr: network.vpcCidr, routeTableId: network.routeTableId };
}

// Lab stacks export what a student needs; network stacks what student stacks reference. One
// object, so a stack shows exactly its own outputs (no undefined placeholders).
export = settings.kind === "lab" ? labStack() : networkStack();
