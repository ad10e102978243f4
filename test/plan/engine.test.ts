import { describe, expect, it } from "vitest";
import { planStack } from "../helpers/plan";

describe("the plan engine", () => {
  // Plans run without stack traces (Pulumi captures one per promise; see engine.ts): the process
  // must get them back, or every later error in a long-lived caller (class plan) loses its trace.
  it("gives the process its stack traces back after a plan", async () => {
    const before = Error.stackTraceLimit;
    expect(before).toBeGreaterThan(0);
    await planStack();
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("after").stack).toMatch(/engine\.test\.ts/);
  });
});
