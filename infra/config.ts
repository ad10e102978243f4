/**
 * Reads the stack's configuration from `pulumi.Config` (the only module that does) and validates
 * it with the pure `parseStackConfig` (infra/settings.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "../components/haproxy/model";
import { NAMESPACE, parseStackConfig, StackConfigError, type StackSettings } from "./settings";

export * from "./settings";

export interface LoadedStackConfig {
  readonly settings: StackSettings;
  /** The stats password when the stack sets one (always a secret); otherwise the stack generates one. */
  readonly statsPassword?: pulumi.Output<string>;
  readonly warnings: readonly ConfigProblem[];
}

/** Reads `pulumi.Config("haproxy-lab")`; throws one StackConfigError listing every problem. */
export function loadStackConfig(): LoadedStackConfig {
  const config = new pulumi.Config(NAMESPACE);
  const { settings, problems } = parseStackConfig((name) => (name === "statsPassword" ? undefined : config.get(name)));
  if (!settings) throw new StackConfigError(problems);
  const statsPassword = config.getSecret("statsPassword");
  return { settings, warnings: problems, ...(statsPassword ? { statsPassword } : {}) };
}
