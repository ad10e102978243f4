/** Small, bounded process and network helpers for the local lab. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, openSync, readFileSync, closeSync } from "node:fs";
import { createConnection, createServer } from "node:net";

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  if (await waitFor(() => !isAlive(pid), graceMs)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return;
  }
  await waitFor(() => !isAlive(pid), 2000);
}

/** Whether something accepts TCP connections on address:port (loopback only in this project). */
export function isListening(address: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: address, port });
    const finish = (result: boolean) => {
      socket.destroy();
      done(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

/** Whether we could bind address:port right now. */
export function canBind(address: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => done(true)));
  });
}

/** Starts a long-running program detached from us, its output appended to `logFile`. */
export function spawnDetached(command: string, args: readonly string[], logFile: string): number {
  const out = openSync(logFile, "a");
  try {
    const child = spawn(command, [...args], { detached: true, stdio: ["ignore", out, out] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Runs a short command to completion (bounded), returning its exit status and output. */
export function runSync(command: string, args: readonly string[], timeoutMs = 30_000): { status: number; output: string } {
  const result = spawnSync(command, [...args], { encoding: "utf8", timeout: timeoutMs });
  return { status: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error.message) : ""}` };
}

export function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v "$1" >/dev/null 2>&1`, "sh", command]).status === 0;
}
