/**
 * The offline plan engine: runs the real `infra/index.ts` under Pulumi's own mocks
 * (`pulumi.runtime.setMocks`), with a stack's config, and records every resource the program
 * registers (type, name, parent, inputs, which inputs are secret) and every output.
 *
 * It is loaded by `scripts/plan.js` through Pulumi's TypeScript loader (ts-node, type-checked), so
 * what passes here loads under `pulumi up`. It can run the program many times in one process
 * (`npm run class -- plan` runs it once per student): each run clears the project's modules from
 * the require cache and installs fresh mocks; the costly part, type-checking, happens once.
 */
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { NAMESPACE, parseStackConfig } from "../../../infra/settings";
import { LabMocks, type RecordedResource } from "./mocks";

export const PROJECT = "haproxy-lab";
/** Pulumi's marker for a secret value in serialized properties (sdk/nodejs/runtime/rpc.ts). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface PlanResource {
  readonly type: string;
  readonly name: string;
  /** The parent's name, or undefined for top-level resources. */
  readonly parent?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Top-level input names whose values are secrets. */
  readonly secretInputs: readonly string[];
}

export interface PlanOutput {
  readonly value: unknown;
  readonly secret: boolean;
}

export interface PlanResult {
  readonly stack: string;
  readonly resources: readonly PlanResource[];
  readonly outputs: Readonly<Record<string, PlanOutput>>;
}

export interface PlanOptions {
  /** The project directory (holding Pulumi.yaml and infra/). */
  readonly root: string;
  readonly stack: string;
  /** Fully qualified config (`haproxy-lab:student`, `aws:region`) → raw string value. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  /**
   * Loads the program's module. Default: `require("<root>/infra/index.ts")` (under Pulumi's
   * ts-node). vitest passes a dynamic import after `vi.resetModules()`.
   */
  readonly loadProgram?: () => Promise<Record<string, unknown>>;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface MonitorLike {
  registerResource(request: RegisterRequest, callback: (...args: unknown[]) => void): unknown;
}

function containsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) return true;
    return Object.values(record).some(containsSecret);
  }
  return false;
}

/** Mocks receive secret inputs wrapped in Pulumi's secret marker: hand out the plain values. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, unwrapSecrets(item)]));
  }
  return value;
}

function nameFromUrn(urn: string): string | undefined {
  if (!urn) return undefined;
  const parts = urn.split("::");
  return parts[parts.length - 1];
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

/** Forget the project's own modules so the next run re-executes the program from scratch. */
function clearProjectModules(root: string): void {
  const roots = [join(root, "infra"), join(root, "components")];
  for (const id of Object.keys(require.cache)) {
    if (roots.some((dir) => id.startsWith(dir))) delete require.cache[id];
  }
}

export class PlanError extends Error {
  constructor(message: string, readonly problems: readonly { path: string; message: string }[] = []) {
    super(message);
    this.name = "PlanError";
  }
}

let running = false;

/** Runs the program once under mocks. Runs are serialized: Pulumi's runtime state is global. */
export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  if (running) throw new Error("runPlan: one plan at a time (Pulumi's runtime is process-global)");
  // Validate first: a program that throws at load leaves Pulumi's internal promises rejected
  // (and unhandled) in a long-lived process; the program runs the very same checks.
  const { problems } = parseStackConfig((name) => options.config[`${NAMESPACE}:${name}`]);
  if (problems.some((p) => p.severity === "error")) {
    throw new PlanError(`The stack configuration has problems:\n${problems.map((p) => `  ${p.severity}: ${p.path}: ${p.message}`).join("\n")}`, problems);
  }
  running = true;
  // Pulumi's runtime records `new Error().stack` for every promise it creates (debuggable.js, for
  // its leak report), and under ts-node each stack is source-mapped frame by frame: that was 70 %
  // of a plan's time (40 students: 24.5 s, without stacks 7.1 s). A plan reports a failure by its
  // message (PlanError), never by a promise's stack, so none are captured while the program runs.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const mocks = new LabMocks();
    const parents = new Map<string, string | undefined>();
    pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);
    await pulumi.runtime.setMocks(mocks, PROJECT, options.stack, false);
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
      const key = `${request.getType()}::${request.getName()}`;
      parents.set(key, nameFromUrn(request.getParent()));
      return register(request, callback);
    };

    clearProjectModules(options.root);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = options.loadProgram ?? (async () => require(join(options.root, "infra", "index.ts")) as Record<string, unknown>);
    let programExports: Record<string, unknown> = {};
    try {
      await runInPulumiStack(async () => {
        const loaded = await load();
        // A dynamic import of a CommonJS `export =` module puts the object under `default`.
        programExports = (loaded.default && typeof loaded.default === "object" ? loaded.default : loaded) as Record<string, unknown>;
        return programExports;
      });
    } catch (error) {
      const problems = (error as { problems?: { path: string; message: string }[] }).problems;
      throw new PlanError((error as Error).message, problems ?? []);
    }

    const outputs: Record<string, PlanOutput> = {};
    for (const [name, value] of Object.entries(programExports)) {
      if (value === undefined) continue;
      if (pulumi.Output.isInstance(value)) {
        outputs[name] = { value: await resolve(value), secret: await pulumi.isSecret(value) };
      } else {
        outputs[name] = { value, secret: false };
      }
    }
    // Let registrations that no output waits for (route table associations …) finish.
    await new Promise((done) => setTimeout(done, 20));

    const resources: PlanResource[] = mocks.resources
      .filter((r: RecordedResource) => r.type !== "pulumi:pulumi:Stack")
      .map((r: RecordedResource) => {
        const key = `${r.type}::${r.name}`;
        const parent = parents.get(key);
        return {
          type: r.type,
          name: r.name,
          ...(parent && !parent.startsWith(`${PROJECT}-`) ? { parent } : {}),
          inputs: unwrapSecrets(r.inputs) as Record<string, unknown>,
          secretInputs: Object.entries(r.inputs).filter(([, value]) => containsSecret(value)).map(([name]) => name),
        };
      });
    return { stack: options.stack, resources, outputs };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    running = false;
  }
}
