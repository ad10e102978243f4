/**
 * Stack config for the offline tools (plan, local lab, class): `--stack NAME` reads
 * `Pulumi.NAME.yaml` the way Pulumi stores it, `--config key=value` overrides (the key with or
 * without the `haproxy-lab:` namespace; lists and objects as JSON). No Pulumi CLI needed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { suggest } from "../../components/haproxy/validate";
import { CONFIG_KEYS, NAMESPACE, parseStackConfig, type ConfigKey, type StackSettings } from "../../infra/settings";
import type { ConfigProblem } from "../../components/haproxy/model";

export interface RawStackConfig {
  /** Fully qualified key (`haproxy-lab:student`, `aws:region`) → the string Pulumi would hand the program. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys stored encrypted (`secure:`) in the stack file; their values are not available here. */
  readonly encryptedKeys: readonly string[];
  readonly problems: readonly ConfigProblem[];
}

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function qualify(key: string): string {
  return key.includes(":") ? key : `${NAMESPACE}:${key}`;
}

/** Reads `Pulumi.<stack>.yaml` (when a stack is named) and applies `key=value` overrides. */
export function readRawStackConfig(root: string, stack: string | undefined, overrides: readonly string[]): RawStackConfig {
  const values: Record<string, string> = {};
  const encryptedKeys: string[] = [];
  const problems: ConfigProblem[] = [];
  if (stack !== undefined) {
    const file = join(root, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) {
      problems.push({ severity: "error", path: "--stack", message: `no ${file}: create it with \`pulumi stack init ${stack}\` and \`pulumi config set …\`, or copy Pulumi.example.yaml to Pulumi.${stack}.yaml.` });
    } else {
      const document = (parseYaml(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
      for (const [key, value] of Object.entries(document.config ?? {})) {
        if (value && typeof value === "object" && "secure" in (value as Record<string, unknown>)) encryptedKeys.push(qualify(key));
        else values[qualify(key)] = toConfigString(value);
      }
    }
  }
  for (const override of overrides) {
    const at = override.indexOf("=");
    if (at <= 0) {
      problems.push({ severity: "error", path: "--config", message: `"${override}" is not key=value: write e.g. --config keepAlive=http-server-close or --config 'webServers=[{"name":"backend1","weight":60}]'.` });
      continue;
    }
    const key = qualify(override.slice(0, at));
    values[key] = override.slice(at + 1);
    const index = encryptedKeys.indexOf(key);
    if (index >= 0) encryptedKeys.splice(index, 1);
  }
  for (const key of Object.keys(values)) {
    const [namespace, name] = key.split(":", 2);
    if (namespace === NAMESPACE && !(CONFIG_KEYS as readonly string[]).includes(name)) {
      problems.push({ severity: "error", path: key, message: `is not a haproxy-lab setting.${suggest(name, CONFIG_KEYS)}` });
    }
  }
  return { values, encryptedKeys, problems };
}

/** Raw config → validated stack settings, every problem named by its key. */
export function stackSettingsFrom(raw: RawStackConfig): { settings?: StackSettings; problems: ConfigProblem[] } {
  const parsed = parseStackConfig((name: ConfigKey) => raw.values[`${NAMESPACE}:${name}`]);
  return { ...(parsed.settings && raw.problems.length === 0 ? { settings: parsed.settings } : {}), problems: [...raw.problems, ...parsed.problems] };
}
