/**
 * Runs the real `haproxy -c` on rendered text. Fails loudly (throws) when haproxy is missing:
 * a suite that silently skipped would prove nothing.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { execFileSync } from "node:child_process";

const run = promisify(execFile);

export function requireHaproxy(): string {
  try {
    return execFileSync("haproxy", ["-v"], { encoding: "utf8" }).split("\n")[0];
  } catch {
    throw new Error("haproxy is not installed: these tests check rendered configs with the real `haproxy -c`. Install it with `apt-get install -y haproxy` (bash .ci/run does).");
  }
}

export async function haproxyCheck(cfgText: string): Promise<{ ok: boolean; output: string }> {
  requireHaproxy();
  const dir = await mkdtemp(join(tmpdir(), "haproxy-check-"));
  const file = join(dir, "haproxy.cfg");
  try {
    await writeFile(file, cfgText);
    try {
      const { stdout, stderr } = await run("haproxy", ["-c", "-f", file], { timeout: 30_000 });
      return { ok: true, output: stdout + stderr };
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string; message: string };
      return { ok: false, output: `${failure.stdout ?? ""}${failure.stderr ?? failure.message}` };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
