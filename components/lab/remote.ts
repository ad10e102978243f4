/**
 * The shell scripts the stack runs on its VMs over SSH (pure text; no secrets inside: anything
 * secret reaches the host on stdin).
 */

import { LAB_PATHS } from "./roles";

/** Staged copy of a pushed config (beside the one cloud-init stages at first boot). */
export const HAPROXY_PUSHED_CFG_PATH = "/etc/haproxy/haproxy.cfg.pushed";

/**
 * Waits for cloud-init to finish, bounded. `cloud-init status --wait` exits 0 when done, 1 on
 * error and, from cloud-init 23.4 on, 2 on "recoverable errors" (deprecation warnings and the
 * like: the host works). Debian 12 ships 22.4, but an image update must not break readiness, so
 * 2 passes with a warning and only 1 (or a timeout) fails the update.
 */
export function cloudInitWaitScript(timeoutSeconds: number): string {
  const seconds = Math.max(1, Math.floor(timeoutSeconds));
  return [
    "set -u",
    `timeout ${seconds} cloud-init status --wait >/dev/null`,
    "rc=$?",
    'case "$rc" in',
    '  0) echo "cloud-init finished on $(hostname)";;',
    '  2) echo "cloud-init finished on $(hostname) with recoverable errors:" >&2; cloud-init status --long >&2;;',
    `  124) echo "cloud-init still running on $(hostname) after ${seconds}s" >&2; cloud-init status --long >&2; exit 1;;`,
    '  *) echo "cloud-init failed on $(hostname) (exit $rc):" >&2; cloud-init status --long >&2; tail -n 30 /var/log/cloud-init-output.log >&2; exit 1;;',
    "esac",
  ].join("\n");
}

/**
 * Pushes a new haproxy.cfg to a running frontend: the file arrives on stdin (it holds the stats
 * password hash, so it never appears in a command line), is staged next to the live one, and the
 * apply script checks it with `haproxy -c`, moves it into place atomically and reloads haproxy
 * seamlessly. A config that fails the check exits non-zero, which fails `pulumi up`, and the live
 * config is left untouched.
 */
export function haproxyConfigPushScript(): string {
  return [
    "set -eu",
    "umask 077",
    `sudo install -m 0640 -o root -g haproxy /dev/stdin ${HAPROXY_PUSHED_CFG_PATH}`,
    `sudo ${LAB_PATHS.applyScript} --staged ${HAPROXY_PUSHED_CFG_PATH} --target ${LAB_PATHS.haproxyConfig} --reload systemd`,
  ].join("\n");
}
