/** Runs the real infra/index.ts under the plan engine's Pulumi mocks, from vitest. */
import { join } from "node:path";
import { vi } from "vitest";
import { runPlan, type PlanResource, type PlanResult } from "../../scripts/lib/plan/engine";

export const ROOT = join(__dirname, "..", "..");

/** Plans a stack with `haproxy-lab:` config given without its namespace. */
export async function planStack(config: Readonly<Record<string, string>> = {}, stack = "test", secretKeys: readonly string[] = []): Promise<PlanResult> {
  vi.resetModules();
  const qualified = Object.fromEntries(Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `haproxy-lab:${key}`, value]));
  return runPlan({
    root: ROOT,
    stack,
    config: { "aws:region": "eu-west-1", ...qualified },
    secretKeys: secretKeys.map((key) => `haproxy-lab:${key}`),
    loadProgram: () => import("../../infra/index"),
  });
}

export function ofType(plan: PlanResult, type: string): PlanResource[] {
  return plan.resources.filter((r) => r.type === type);
}

export function byName(plan: PlanResult, name: string): PlanResource {
  const resource = plan.resources.find((r) => r.name === name);
  if (!resource) throw new Error(`no resource named ${name}; have ${plan.resources.map((r) => r.name).join(", ")}`);
  return resource;
}
