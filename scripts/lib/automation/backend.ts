/**
 * The one narrow interface between our orchestration (class, ephemeral) and Pulumi's Automation
 * API. Everything above it is tested against `MemoryBackend`; `PulumiBackend` is the thin real one.
 */

export interface StackConfigValue {
  readonly value: string;
  readonly secret?: boolean;
}

export interface StackInfo {
  readonly name: string;
  /** Our own markers (expiry, class, student), stored with the stack. */
  readonly labels: Readonly<Record<string, string>>;
}

export interface StackBackend {
  /** Stacks of this project. */
  list(): Promise<StackInfo[]>;
  /** Creates the stack, or selects it when it exists (idempotent). */
  ensure(name: string): Promise<"created" | "existing">;
  setConfig(name: string, config: Readonly<Record<string, StackConfigValue>>): Promise<void>;
  setLabels(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** `pulumi up`; resolves with the stack's outputs. */
  up(name: string, onOutput?: (line: string) => void, signal?: AbortSignal): Promise<Record<string, unknown>>;
  outputs(name: string): Promise<Record<string, unknown>>;
  destroy(name: string, onOutput?: (line: string) => void): Promise<void>;
  remove(name: string): Promise<void>;
  /** Clears a lock a killed run left behind (METR/hawk#766). */
  cancel(name: string): Promise<void>;
}

/** AWS throttling and rate limits: worth a retry with backoff; anything else is not. */
export function isThrottling(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /Throttl|RequestLimitExceeded|Rate exceeded|TooManyRequests|SlowDown|RequestThrottled|429/i.test(text);
}
