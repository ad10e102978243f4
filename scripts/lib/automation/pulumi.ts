/**
 * The real StackBackend: Pulumi's Automation API over this project's directory (LocalWorkspace,
 * the Pulumi.yaml program). Thin on purpose; it needs the Pulumi CLI and cloud credentials, so it
 * is reviewed, type-checked and not run in this repository's tests.
 *
 * Labels: stack tags only exist on Pulumi Cloud; self-managed backends keep them as config in a
 * namespace the program does not read (`haproxy-lab-meta:<label>`), which works on every backend.
 */
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import type { StackBackend, StackConfigValue, StackInfo } from "./backend";

const LABEL_NAMESPACE = "haproxy-lab-meta";

export class PulumiBackend implements StackBackend {
  private workspace?: LocalWorkspace;

  constructor(private readonly projectDir: string) {}

  private async ws(): Promise<LocalWorkspace> {
    this.workspace ??= await LocalWorkspace.create({ workDir: this.projectDir });
    return this.workspace;
  }

  private async stack(name: string): Promise<Stack> {
    return LocalWorkspace.selectStack({ stackName: name, workDir: this.projectDir });
  }

  async list(): Promise<StackInfo[]> {
    const ws = await this.ws();
    const summaries = await ws.listStacks();
    return Promise.all(
      summaries.map(async (summary) => {
        const config = await ws.getAllConfig(summary.name);
        const labels = Object.fromEntries(
          Object.entries(config)
            .filter(([key]) => key.startsWith(`${LABEL_NAMESPACE}:`))
            .map(([key, value]) => [key.slice(LABEL_NAMESPACE.length + 1), value.value]),
        );
        return { name: summary.name, labels };
      }),
    );
  }

  async ensure(name: string): Promise<"created" | "existing"> {
    const ws = await this.ws();
    const exists = (await ws.listStacks()).some((s) => s.name === name || s.name.endsWith(`/${name}`));
    await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: this.projectDir });
    return exists ? "existing" : "created";
  }

  async setConfig(name: string, config: Readonly<Record<string, StackConfigValue>>): Promise<void> {
    const stack = await this.stack(name);
    await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value: value.value, secret: value.secret ?? false }])));
  }

  async setLabels(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    const stack = await this.stack(name);
    await stack.setAllConfig(Object.fromEntries(Object.entries(labels).map(([key, value]) => [`${LABEL_NAMESPACE}:${key}`, { value }])));
  }

  async up(name: string, onOutput?: (line: string) => void, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const stack = await this.stack(name);
    const onAbort = () => void stack.cancel();
    signal?.addEventListener("abort", onAbort);
    try {
      const result = await stack.up({ ...(onOutput ? { onOutput } : {}) });
      return Object.fromEntries(Object.entries(result.outputs).map(([key, output]) => [key, output.value]));
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async outputs(name: string): Promise<Record<string, unknown>> {
    const stack = await this.stack(name);
    return Object.fromEntries(Object.entries(await stack.outputs()).map(([key, output]) => [key, output.value]));
  }

  async destroy(name: string, onOutput?: (line: string) => void): Promise<void> {
    const stack = await this.stack(name);
    await stack.destroy({ ...(onOutput ? { onOutput } : {}) });
  }

  async remove(name: string): Promise<void> {
    await (await this.ws()).removeStack(name);
  }

  async cancel(name: string): Promise<void> {
    await (await this.stack(name)).cancel();
  }
}
