/**
 * Runs the real `haproxy -c -f <file>` on rendered text. Throws a clear error when the haproxy
 * binary is missing: a suite that silently skipped would prove nothing.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface HaproxyCheckResult {
  /** haproxy -c exited 0. */
  readonly ok: boolean;
  /** stdout and stderr together (alerts, warnings, "Configuration file is valid"). */
  readonly output: string;
}

export interface HaproxyCheckOptions {
  /** The haproxy executable; default `haproxy` from PATH. */
  readonly binary?: string;
}

const versions = new Map<string, string>();

/** `HAProxy version 2.6.12-1 …`; throws with the install command when haproxy is not there. */
export function requireHaproxy(binary = "haproxy"): string {
  const known = versions.get(binary);
  if (known !== undefined) return known;
  try {
    const version = execFileSync(binary, ["-v"], { encoding: "utf8", timeout: 10_000 }).split("\n")[0];
    versions.set(binary, version);
    return version;
  } catch {
    throw new Error(
      `haproxy is not installed (${binary} not found or not runnable): these tests check rendered configs with the real \`haproxy -c\`. ` +
        "Install it with `apt-get install -y haproxy` (bash .ci/run does it for you).",
    );
  }
}

/** Checks one config with the real HAProxy. The text goes to a temporary file, removed afterwards. */
export async function haproxyCheck(cfgText: string, options: HaproxyCheckOptions = {}): Promise<HaproxyCheckResult> {
  const binary = options.binary ?? "haproxy";
  requireHaproxy(binary);
  const dir = await mkdtemp(join(tmpdir(), "haproxy-check-"));
  const file = join(dir, "haproxy.cfg");
  try {
    await writeFile(file, cfgText);
    return await new Promise<HaproxyCheckResult>((resolve) => {
      execFile(binary, ["-c", "-f", file], { timeout: 30_000, encoding: "utf8" }, (error, stdout, stderr) => {
        resolve({ ok: error === null, output: `${stdout}${stderr}${error && !stderr ? error.message : ""}` });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Checks many configs, `concurrency` haproxy processes at a time (2 cores: keep it small). */
export async function haproxyCheckAll(cfgTexts: readonly string[], concurrency = 2): Promise<HaproxyCheckResult[]> {
  const results: HaproxyCheckResult[] = new Array(cfgTexts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cfgTexts.length) {
      const index = next++;
      results[index] = await haproxyCheck(cfgTexts[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cfgTexts.length) }, worker));
  return results;
}

/** The `[WARNING]` lines of a check's output (HAProxy accepts the file but complains). */
export function haproxyWarnings(output: string): string[] {
  return output.split("\n").filter((line) => line.includes("[WARNING]"));
}
