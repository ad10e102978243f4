import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";

export interface HttpReadinessArgs {
  readonly statsUrl: pulumi.Input<string>;
  readonly statsUser: pulumi.Input<string>;
  readonly statsPassword: pulumi.Input<string>;
  /** Servers that must be UP on the stats page. */
  readonly servers: readonly string[];
  readonly triggers: pulumi.Input<unknown>[];
  readonly timeoutSeconds?: number;
}

/** The stats CSV, polled from where `pulumi up` runs; the password reaches curl on stdin, not argv. */
const POLL_SCRIPT = `set -u
deadline=$(( $(date +%s) + TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  csv=$(printf 'user = "%s:%s"\\n' "$STATS_USER" "$STATS_PASSWORD" | curl -fsS --max-time 5 -K - "$STATS_URL;csv" 2>/dev/null || true)
  missing=0
  for server in $SERVERS; do
    printf '%s\\n' "$csv" | grep -q ",$server,.*,UP" || missing=1
  done
  if [ "$missing" -eq 0 ] && [ -n "$csv" ]; then echo "every server is UP on $STATS_URL"; exit 0; fi
  sleep 10
done
echo "the lab did not become healthy within TIMEOUT s (cloud-init may still be installing packages; see the stats page)" >&2
exit 1`;

/**
 * Readiness without SSH (the default: SSH closed): `pulumi up` finishes when the frontend's stats
 * page shows every server UP, which needs cloud-init done on every host.
 */
export class HttpReadiness extends pulumi.ComponentResource {
  constructor(name: string, args: HttpReadinessArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("haproxy-lab:aws:HttpReadiness", name, {}, opts);
    const timeout = args.timeoutSeconds ?? 900;
    new command.local.Command(
      `${name}-stats`,
      {
        create: POLL_SCRIPT.replace(/TIMEOUT/g, String(timeout)),
        interpreter: ["/bin/sh", "-c"],
        environment: {
          STATS_URL: args.statsUrl,
          STATS_USER: args.statsUser,
          STATS_PASSWORD: pulumi.secret(args.statsPassword),
          SERVERS: args.servers.join(" "),
        },
        triggers: args.triggers,
      },
      { parent: this, customTimeouts: { create: `${Math.ceil(timeout / 60) + 2}m` } },
    );
    this.registerOutputs({});
  }
}
