import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { haproxyConfigPushScript } from "../lab/remote";

export interface HaproxyConfigPushArgs {
  readonly connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
  /** The rendered haproxy.cfg (a secret: it holds the stats password's hash). */
  readonly haproxyCfg: pulumi.Input<string>;
  /** Push again when the frontend VM is replaced. */
  readonly instanceId: pulumi.Input<string>;
}

/**
 * Live HAProxy changes without rebuilding the frontend: the config goes over SSH on stdin, is
 * checked with `haproxy -c`, moved into place atomically and reloaded seamlessly by the same
 * haproxy-lab-apply script the local lab runs. A config that fails the check fails `pulumi up`
 * and leaves the running config untouched.
 */
export class HaproxyConfigPush extends pulumi.ComponentResource {
  public readonly configSha256: pulumi.Output<string>;

  constructor(name: string, args: HaproxyConfigPushArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:HaproxyConfigPush", name, {}, opts);
    this.configSha256 = pulumi.output(args.haproxyCfg).apply((cfg) => createHash("sha256").update(cfg).digest("hex"));
    new command.remote.Command(
      `${name}-apply`,
      {
        connection: args.connection,
        create: haproxyConfigPushScript(),
        stdin: pulumi.secret(args.haproxyCfg),
        // Any change of the config (or a new VM) runs the push again; nothing else does.
        triggers: [this.configSha256, args.instanceId],
      },
      { parent: this, customTimeouts: { create: "5m", update: "5m" } },
    );
    this.registerOutputs({ configSha256: this.configSha256 });
  }
}
