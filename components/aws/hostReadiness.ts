import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { cloudInitWaitScript } from "../lab/remote";

export interface HostReadinessArgs {
  readonly hostName: string;
  /** SSH to the host (backends through the frontend as proxy). */
  readonly connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
  /** Re-run when these change (the instance id: a replaced VM must be waited for again). */
  readonly triggers: pulumi.Input<unknown>[];
  /** Bound on cloud-init's run (apt, packages …). */
  readonly timeoutSeconds?: number;
}

/**
 * "Created" is not "ready": `pulumi up` finishes only when cloud-init has finished on the host
 * (`cloud-init status --wait` over SSH, bounded; exit 2 from cloud-init ≥ 23.4 is accepted).
 */
export class HostReadiness extends pulumi.ComponentResource {
  public readonly stdout: pulumi.Output<string>;

  constructor(name: string, args: HostReadinessArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:HostReadiness", name, {}, opts);
    const wait = new command.remote.Command(
      `${name}-cloud-init`,
      { connection: args.connection, create: cloudInitWaitScript(args.timeoutSeconds ?? 900), triggers: args.triggers },
      // pulumi-command#199: an unreachable host is retried forever unless the connection is bounded.
      { parent: this, customTimeouts: { create: `${Math.ceil((args.timeoutSeconds ?? 900) / 60) + 5}m` } },
    );
    this.stdout = wait.stdout;
    this.registerOutputs({ stdout: this.stdout });
  }
}
