/**
 * A small, bounded HTTP load generator for loopback labs: `concurrency` clients, each sending
 * requests back to back over keep-alive connections until `durationMs` or `maxRequests` is reached
 * or `signal` aborts. Counts failures and which host (X-Lab-Host) answered.
 */
import { Agent } from "node:http";
import { tryGet } from "./checks/http";

export interface LoadResult {
  readonly total: number;
  readonly failed: number;
  /** Requests repeated because an idle keep-alive connection was closed under them (not failures). */
  readonly retriedOnReusedConnection: number;
  readonly byHost: Readonly<Record<string, number>>;
  readonly statuses: Readonly<Record<string, number>>;
  /** Why requests failed without an HTTP status (status 0), by "attempt: message": the evidence for a failure. */
  readonly errors: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

export interface LoadOptions {
  readonly concurrency: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  readonly signal?: AbortSignal;
}

export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const hostname = new URL(url).hostname;
  if (!hostname.startsWith("127.")) throw new Error(`load only goes to loopback addresses, not ${hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const started = Date.now();
  let total = 0;
  let failed = 0;
  let retriedOnReusedConnection = 0;
  const byHost: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const client = async () => {
    while (total < options.maxRequests && Date.now() - started < options.durationMs && !options.signal?.aborted) {
      total++;
      let response = await tryGet(url, { agent, timeoutMs: 5000 });
      let attempt = response.reusedSocket ? "reused connection" : "new connection";
      if (response.status === 0 && response.reusedSocket) {
        // The server closed an idle keep-alive connection as we reused it (a reload ends the old
        // worker's idle connections): like browsers and curl, retry once on a fresh connection.
        // The retry opens a new connection: the agent's other idle sockets may be closing too.
        retriedOnReusedConnection++;
        response = await tryGet(url, { timeoutMs: 5000 });
        attempt = "retry on a new connection";
      }
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status !== 200) failed++;
      if (response.status === 0) {
        const reason = `${attempt}: ${response.body}`;
        errors[reason] = (errors[reason] ?? 0) + 1;
      }
      const host = response.headers["x-lab-host"];
      if (typeof host === "string") byHost[host] = (byHost[host] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, client));
  } finally {
    agent.destroy();
  }
  return { total, failed, retriedOnReusedConnection, byHost, statuses, errors, elapsedMs: Date.now() - started };
}
