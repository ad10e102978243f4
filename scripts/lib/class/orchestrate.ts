/**
 * Orchestration of many stacks: bounded concurrency, retries on AWS throttling, one stack's
 * failure never stopping the others, idempotent re-runs, cleanup on failure and on signals.
 * Pure logic over the StackBackend interface: tests drive it with MemoryBackend.
 */
import { isThrottling, type StackBackend, type StackConfigValue } from "../automation/backend";

export type StudentState = "queued" | "creating" | "ready" | "failed" | "destroying" | "destroyed";

export interface StackJob {
  readonly id: string;
  readonly stack: string;
  readonly config: Readonly<Record<string, StackConfigValue>>;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface JobResult {
  readonly id: string;
  readonly stack: string;
  readonly state: StudentState;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly error?: string;
  readonly attempts: number;
}

export interface RetryPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 2000 };

const realSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Runs `action`, retrying with exponential backoff only while AWS says it is throttling us. */
export async function withRetry<T>(action: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, onRetry?: (attempt: number, error: unknown) => void): Promise<{ value: T; attempts: number }> {
  const sleep = policy.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await action(), attempts: attempt };
    } catch (error) {
      if (!isThrottling(error) || attempt > policy.retries) throw Object.assign(error as Error, { attempts: attempt });
      onRetry?.(attempt, error);
      await sleep(policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

/** Runs `worker` over `items`, at most `concurrency` at a time, in order; never rejects. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      results[index] = await worker(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

export interface UpOptions {
  readonly concurrency: number;
  readonly retry?: RetryPolicy;
  readonly signal?: AbortSignal;
  readonly onState?: (id: string, state: StudentState, detail?: string) => void;
}

/** `up` every job; a failed job is reported, the others go on. Re-running selects existing stacks. */
export async function upAll(backend: StackBackend, jobs: readonly StackJob[], options: UpOptions): Promise<JobResult[]> {
  const onState = options.onState ?? (() => undefined);
  for (const job of jobs) onState(job.id, "queued");
  const results = await runPool(jobs, options.concurrency, async (job): Promise<JobResult> => {
    onState(job.id, "creating");
    let attempts = 0;
    try {
      const run = async <T>(action: () => Promise<T>) => {
        const { value, attempts: used } = await withRetry(action, options.retry, (attempt, error) => onState(job.id, "creating", `throttled (${(error as Error).message.slice(0, 60)}), retry ${attempt}`));
        attempts = Math.max(attempts, used);
        return value;
      };
      await run(() => backend.ensure(job.stack));
      await run(() => backend.setConfig(job.stack, job.config));
      if (job.labels) await run(() => backend.setLabels(job.stack, job.labels!));
      const outputs = await run(() => backend.up(job.stack, undefined, options.signal));
      onState(job.id, "ready");
      return { id: job.id, stack: job.stack, state: "ready", outputs, attempts };
    } catch (error) {
      const message = (error as Error).message;
      onState(job.id, "failed", message);
      return { id: job.id, stack: job.stack, state: "failed", error: message, attempts: Math.max(attempts, (error as { attempts?: number }).attempts ?? 1) };
    }
  }, options.signal);
  // Jobs never started because of an abort are reported as failed, not silently dropped.
  return jobs.map((job, index) => results[index] ?? { id: job.id, stack: job.stack, state: "failed", error: "cancelled before it started", attempts: 0 });
}

/** Destroys and removes every given stack (bounded concurrency, retries, isolation). */
export async function destroyAll(backend: StackBackend, stacks: readonly { id: string; stack: string }[], options: UpOptions): Promise<JobResult[]> {
  const onState = options.onState ?? (() => undefined);
  const existing = new Set((await backend.list()).map((s) => s.name));
  return runPool(stacks, options.concurrency, async ({ id, stack }): Promise<JobResult> => {
    if (!existing.has(stack)) {
      onState(id, "destroyed", "no such stack");
      return { id, stack, state: "destroyed", attempts: 0 };
    }
    onState(id, "destroying");
    try {
      const { attempts } = await withRetry(async () => {
        await backend.destroy(stack);
        await backend.remove(stack);
      }, options.retry);
      onState(id, "destroyed");
      return { id, stack, state: "destroyed", attempts };
    } catch (error) {
      onState(id, "failed", (error as Error).message);
      return { id, stack, state: "failed", error: (error as Error).message, attempts: (error as { attempts?: number }).attempts ?? 1 };
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Ephemeral labs for CI

export const EXPIRES_LABEL = "expires-at";

/** Something that delivers SIGINT/SIGTERM (the process, or a test's EventEmitter). */
export interface SignalSource {
  once(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  removeListener(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

export interface EphemeralOptions {
  readonly stack: string;
  readonly config: Readonly<Record<string, StackConfigValue>>;
  readonly ttlMs: number;
  readonly now: () => number;
  readonly signals: SignalSource;
  /** Waits until the lab answers (bounded); throws when it does not. */
  readonly waitUntilReady: (outputs: Readonly<Record<string, unknown>>, signal: AbortSignal) => Promise<void>;
  /** Runs the lab checks; resolves true when they pass. */
  readonly runChecks: (outputs: Readonly<Record<string, unknown>>, signal: AbortSignal) => Promise<boolean>;
  readonly retry?: RetryPolicy;
  readonly log?: (line: string) => void;
}

export interface EphemeralResult {
  readonly stack: string;
  readonly outcome: "passed" | "checks-failed" | "failed" | "interrupted";
  readonly error?: string;
  readonly cleanedUp: boolean;
}

/** Create → up → wait → check → ALWAYS destroy and remove, also on failure and on SIGINT/SIGTERM. */
export async function ephemeralRun(backend: StackBackend, options: EphemeralOptions): Promise<EphemeralResult> {
  const log = options.log ?? (() => undefined);
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    log("signal received: cancelling and cleaning up");
    controller.abort();
  };
  options.signals.once("SIGINT", onSignal);
  options.signals.once("SIGTERM", onSignal);
  let outcome: EphemeralResult["outcome"] = "failed";
  let failure: string | undefined;
  try {
    await backend.ensure(options.stack);
    await backend.setLabels(options.stack, { [EXPIRES_LABEL]: new Date(options.now() + options.ttlMs).toISOString(), ephemeral: "true" });
    await backend.setConfig(options.stack, options.config);
    log(`pulumi up ${options.stack}`);
    const { value: outputs } = await withRetry(() => backend.up(options.stack, log, controller.signal), options.retry);
    if (controller.signal.aborted) throw new Error("interrupted");
    log("waiting until the lab answers");
    await options.waitUntilReady(outputs, controller.signal);
    log("running the lab checks");
    outcome = (await options.runChecks(outputs, controller.signal)) ? "passed" : "checks-failed";
  } catch (error) {
    failure = (error as Error).message;
    outcome = "failed";
  } finally {
    options.signals.removeListener("SIGINT", onSignal);
    options.signals.removeListener("SIGTERM", onSignal);
  }
  if (interrupted) outcome = "interrupted";
  let cleanedUp = false;
  try {
    log(`destroying ${options.stack}`);
    await withRetry(async () => {
      try {
        await backend.destroy(options.stack);
      } catch (error) {
        // A run killed mid-update leaves a lock: clear it once and try again.
        if (/lock|currently being updated|conflict/i.test((error as Error).message)) {
          await backend.cancel(options.stack);
          await backend.destroy(options.stack);
        } else throw error;
      }
      await backend.remove(options.stack);
    }, options.retry);
    cleanedUp = true;
  } catch (error) {
    failure = `${failure ? `${failure}; ` : ""}cleanup failed: ${(error as Error).message} (ephemeral reap will retry after its expiry)`;
  }
  return { stack: options.stack, outcome, ...(failure ? { error: failure } : {}), cleanedUp };
}

/** Destroys and removes ephemeral stacks whose expiry has passed. */
export async function reapExpired(backend: StackBackend, now: () => number, options: Omit<UpOptions, "concurrency"> & { concurrency?: number } = {}): Promise<JobResult[]> {
  const expired = (await backend.list()).filter((s) => {
    const expires = Date.parse(s.labels[EXPIRES_LABEL] ?? "");
    return Number.isFinite(expires) && expires <= now();
  });
  return destroyAll(backend, expired.map((s) => ({ id: s.name, stack: s.name })), { concurrency: options.concurrency ?? 4, ...options });
}

/** A stack name from a CI run id: stable for the run, unique across runs, valid for Pulumi. */
export function ephemeralStackName(runId: string, prefix = "ci"): string {
  const cleaned = runId.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  if (!cleaned) throw new Error(`cannot make a stack name from run id ${JSON.stringify(runId)}`);
  return `${prefix}-${cleaned}`;
}
