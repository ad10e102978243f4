/**
 * Real cloud-init for tests: its schema validator and its own write_files decoder.
 * Both FAIL (throw) when cloud-init is missing: `.ci/run` installs it; never skip.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program (no shell) with a time limit; resolves with its exit code, throws when it cannot start. */
export function run(program: string, args: readonly string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      args,
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, env: options.env ?? process.env, cwd: options.cwd },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        if (error && code === null) {
          const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
          reject(new Error(missing ? `${program} is not installed (or not on PATH): install it (.ci/run does) — this test needs the real tool` : `${program} ${args.join(" ")}: ${error.message}`));
          return;
        }
        resolve({ code: code ?? 0, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export interface SchemaResult {
  readonly valid: boolean;
  /** cloud-init's own words (stdout + stderr). */
  readonly output: string;
}

/** `cloud-init schema --config-file <tmp>` on a user-data text (Debian's cloud-init 22.4). */
export async function cloudInitSchema(text: string): Promise<SchemaResult> {
  const dir = await mkdtemp(join(tmpdir(), "cloud-init-schema-"));
  try {
    const file = join(dir, "user-data");
    await writeFile(file, text);
    const result = await run("cloud-init", ["schema", "--config-file", file]);
    const output = `${result.stdout}${result.stderr}`.trim();
    return { valid: result.code === 0 && output.includes("Valid cloud-config"), output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Validates many user-data texts, two cloud-init processes at a time; keyed like the input. */
export async function cloudInitSchemaAll(texts: Readonly<Record<string, string>>): Promise<Record<string, SchemaResult>> {
  const entries = Object.entries(texts);
  const results: Record<string, SchemaResult> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const [name, text] = entries[next++];
      results[name] = await cloudInitSchema(text);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** One write_files entry as cloud-init itself decodes it. */
export interface CloudInitFile {
  readonly path: string;
  readonly content: Buffer;
  readonly mode: number;
  readonly owner: string;
  readonly defer: boolean;
  readonly append: boolean;
}

export interface CloudInitView {
  /** The document as cloud-init's YAML loader sees it (write_files contents left out). */
  readonly config: Record<string, unknown>;
  readonly files: readonly CloudInitFile[];
  /** The /bin/sh script cloud-init makes of runcmd (util.shellify). */
  readonly runcmdScript: string;
}

// cloud-init's own loader (util.load_yaml = yaml.safe_load) and write_files helpers, nothing re-implemented.
const DECODER = String.raw`
import base64, json, os, sys
from cloudinit import util
from cloudinit.config import cc_write_files as w
text = sys.stdin.read()
cfg = util.load_yaml(text)
if cfg is None:
    import yaml
    yaml.safe_load(text)  # raises with the parser's message
    sys.exit("cloud-init could not load the user-data as a mapping")
files = []
for f in cfg.get("write_files") or []:
    data = w.extract_contents(f.get("content", ""), w.canonicalize_extraction(f.get("encoding")))
    if isinstance(data, str):
        data = data.encode("utf-8")  # what util.write_file does with text
    owner = f.get("owner", "root:root")
    files.append({
        "path": os.path.abspath(f["path"]),
        "content": base64.b64encode(data).decode("ascii"),
        "mode": w.decode_perms(f.get("permissions"), w.DEFAULT_PERMS),
        "owner": owner,
        "defer": util.get_cfg_option_bool(f, "defer", w.DEFAULT_DEFER),
        "append": util.get_cfg_option_bool(f, "append", False),
    })
config = {k: v for k, v in cfg.items() if k != "write_files"}
print(json.dumps({"config": config, "files": files, "runcmd": util.shellify(cfg.get("runcmd") or [])}))
`;

/** Loads user-data with cloud-init's Python (the interpreter cloud-init itself runs on). */
export async function cloudInitView(userData: string): Promise<CloudInitView> {
  const result = await run("/usr/bin/python3", ["-c", DECODER], { input: userData });
  if (result.code !== 0) throw new Error(`cloud-init's loader failed (is cloud-init installed? .ci/run installs it):\n${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as {
    config: Record<string, unknown>;
    files: { path: string; content: string; mode: number; owner: string; defer: boolean; append: boolean }[];
    runcmd: string;
  };
  return {
    config: parsed.config,
    files: parsed.files.map((file) => ({ ...file, content: Buffer.from(file.content, "base64") })),
    runcmdScript: parsed.runcmd,
  };
}
