/** Bring a local lab up for a suite and always take it down, proving nothing is left behind. */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { downLab, isRoot, readState, upLab, type LabState } from "../../scripts/lib/local-lab/lab";
import { isAlive, isListening, readPid } from "../../scripts/lib/local-lab/processes";
import { ROOT } from "./plan";

export interface TestLab {
  readonly state: LabState;
  readonly labDir: string;
}

/** Lab dirs live under the repo's .lab/ (world-traversable) so apache's www-data can read them as root. */
export async function startTestLab(loopbackNet: string, config: readonly string[]): Promise<TestLab> {
  const base = isRoot() ? join(ROOT, ".lab") : tmpdir();
  mkdirSync(base, { recursive: true });
  const labDir = mkdtempSync(join(base, `test-${loopbackNet.replace(/\./g, "-")}-`));
  const state = await upLab({ root: ROOT, labDir, loopbackNet, port: 8080, config, statsPassword: "test-password" });
  return { state, labDir };
}

/** Stops the lab and returns what is still alive or listening (should be nothing). */
export async function stopTestLab(lab: TestLab | undefined, labDir?: string): Promise<string[]> {
  const dir = lab?.labDir ?? labDir;
  if (!dir) return [];
  const state = readState(dir);
  await downLab(dir);
  if (!state) return [];
  const leftovers: string[] = [];
  for (const host of state.hosts) {
    const pid = readPid(host.pidFile);
    if (pid !== undefined && isAlive(pid)) leftovers.push(`${host.name} pid ${pid}`);
    if (await isListening(host.address, host.port)) leftovers.push(`${host.name} still listening on ${host.address}:${host.port}`);
  }
  if (leftovers.length === 0) rmSync(dir, { recursive: true, force: true });
  return leftovers;
}
