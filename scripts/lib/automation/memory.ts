/**
 * An in-memory StackBackend for tests: it keeps stacks, config and labels, and can be told to
 * fail (once or always), to throttle, or to take time, per operation and stack. It also records
 * how many `up`s ran at once, so tests can prove the concurrency bound.
 */
import type { StackBackend, StackConfigValue, StackInfo } from "./backend";

export type Operation = "ensure" | "setConfig" | "setLabels" | "up" | "outputs" | "destroy" | "remove" | "cancel";

interface MemoryStack {
  config: Record<string, StackConfigValue>;
  labels: Record<string, string>;
  deployed: boolean;
  outputs: Record<string, unknown>;
}

export class MemoryBackend implements StackBackend {
  readonly stacks = new Map<string, MemoryStack>();
  readonly calls: string[] = [];
  maxConcurrentUps = 0;
  private runningUps = 0;
  private readonly failures = new Map<string, Error[]>();
  private readonly delays = new Map<string, number>();

  /** The next `times` calls of `operation` on `stack` throw `error`. */
  failOn(operation: Operation, stack: string, error: Error, times = 1): this {
    const key = `${operation}:${stack}`;
    this.failures.set(key, [...(this.failures.get(key) ?? []), ...Array.from({ length: times }, () => error)]);
    return this;
  }

  /** `up`/`destroy` on `stack` (or "*") take `ms`. */
  delay(stack: string, ms: number): this {
    this.delays.set(stack, ms);
    return this;
  }

  private async step(operation: Operation, stack: string, signal?: AbortSignal): Promise<void> {
    this.calls.push(`${operation}:${stack}`);
    const ms = this.delays.get(stack) ?? this.delays.get("*") ?? 0;
    if (ms > 0 && (operation === "up" || operation === "destroy")) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error("up cancelled"));
        });
      });
    }
    const queue = this.failures.get(`${operation}:${stack}`);
    const error = queue?.shift();
    if (error) throw error;
  }

  private stack(name: string): MemoryStack {
    const stack = this.stacks.get(name);
    if (!stack) throw new Error(`no stack named '${name}' found`);
    return stack;
  }

  async list(): Promise<StackInfo[]> {
    return [...this.stacks].map(([name, stack]) => ({ name, labels: { ...stack.labels } }));
  }

  async ensure(name: string): Promise<"created" | "existing"> {
    await this.step("ensure", name);
    if (this.stacks.has(name)) return "existing";
    this.stacks.set(name, { config: {}, labels: {}, deployed: false, outputs: {} });
    return "created";
  }

  async setConfig(name: string, config: Readonly<Record<string, StackConfigValue>>): Promise<void> {
    await this.step("setConfig", name);
    Object.assign(this.stack(name).config, config);
  }

  async setLabels(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    await this.step("setLabels", name);
    Object.assign(this.stack(name).labels, labels);
  }

  async up(name: string, onOutput?: (line: string) => void, signal?: AbortSignal): Promise<Record<string, unknown>> {
    this.runningUps++;
    this.maxConcurrentUps = Math.max(this.maxConcurrentUps, this.runningUps);
    try {
      await this.step("up", name, signal);
      const stack = this.stack(name);
      onOutput?.(`Updating (${name})`);
      const ip = `203.0.113.${(this.stacks.size % 200) + 10}`;
      stack.deployed = true;
      stack.outputs = {
        frontendUrl: `http://${ip}/`,
        statsUrl: `http://${ip}/stats`,
        statsUser: "admin",
        statsPassword: `pw-${name}`,
        student: stack.config["haproxy-lab:student"]?.value,
        subnetCidr: stack.config["haproxy-lab:subnetCidr"]?.value,
      };
      return { ...stack.outputs };
    } finally {
      this.runningUps--;
    }
  }

  async outputs(name: string): Promise<Record<string, unknown>> {
    await this.step("outputs", name);
    return { ...this.stack(name).outputs };
  }

  async destroy(name: string): Promise<void> {
    await this.step("destroy", name);
    const stack = this.stack(name);
    stack.deployed = false;
    stack.outputs = {};
  }

  async remove(name: string): Promise<void> {
    await this.step("remove", name);
    const stack = this.stack(name);
    if (stack.deployed) throw new Error(`stack '${name}' still has resources; destroy it first`);
    this.stacks.delete(name);
  }

  async cancel(name: string): Promise<void> {
    await this.step("cancel", name);
  }
}
