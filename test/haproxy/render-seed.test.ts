/** `npm run render-seed`, run as the user runs it (tsx, a child process). */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { haproxyCheck } from "../helpers/haproxy";

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function renderSeed(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ["scripts/render-seed.ts", ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const CASES = {
  plain: [],
  help: ["--help"],
  unknown: ["--colour", "red"],
  badMode: ["--cookie-mode", "sticky"],
  badWeight: ["--web", "backend1=300", "--web", "backend2=45"],
  badSpec: ["--web", "backend1:60"],
  keepAlive: ["--keep-alive", "http-server-close"],
  inline: ["--inline-auth"],
  envPassword: ["--stats-password-env", "LAB_STATS_PW", "--stats-user", "profe", "--salt", "fixedsalt"],
  threeWeb: ["--web", "backend1=60", "--web", "backend2=45", "--web", "backend4=30", "--cookie-mode", "insert", "--profile", "tuned", "--check-path", "/index.html"],
} as const satisfies Record<string, readonly string[]>;

describe("npm run render-seed", () => {
  const runs = new Map<keyof typeof CASES, Run>();

  beforeAll(async () => {
    const names = Object.keys(CASES) as (keyof typeof CASES)[];
    // Two at a time: each is a Node process with tsx (two cores).
    for (let i = 0; i < names.length; i += 2) {
      const batch = names.slice(i, i + 2);
      const results = await Promise.all(batch.map((name) => renderSeed(CASES[name], { LAB_STATS_PW: "from the env $ecret" })));
      batch.forEach((name, j) => runs.set(name, results[j]));
    }
  }, 120_000);

  it("prints the seed preset, byte for byte the golden file", () => {
    const run = runs.get("plain")!;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(ROOT, "test", "golden", "haproxy", "seed.cfg"), "utf8"));
    expect(run.stderr).toBe("");
  });

  it("explains its flags with --help", () => {
    const run = runs.get("help")!;
    expect(run.code).toBe(0);
    for (const flag of ["--profile", "--keep-alive", "--cookie-mode", "--web NAME=WEIGHT[@ADDRESS]", "--static-ext", "--stats-password-env", "--inline-auth", "--check-path"]) expect(run.stdout).toContain(flag);
  });

  it.each([
    ["an unknown flag", "unknown", /Unknown option '--colour'/],
    ["a bad cookie mode, listing the good ones", "badMode", /--cookie-mode sticky: use one of prefix, insert, none/],
    ["a --web spec in the wrong form", "badSpec", /--web backend1:60: write NAME=WEIGHT or NAME=WEIGHT@ADDRESS/],
  ] as const)("exits 2 on %s, naming the flag and the fix", (_label, name, message) => {
    const run = runs.get(name)!;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("--help");
    expect(run.stdout).toBe("");
  });

  it("exits 1 with every problem when the options make an invalid model", () => {
    const run = runs.get("badWeight")!;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/backends\[0\]\.servers\[0\]\.weight: 300 is out of range/);
    expect(run.stdout).toBe("");
  });

  it("renders the keep-alive exercise, which HAProxy accepts", async () => {
    const run = runs.get("keepAlive")!;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("    option http-server-close\n");
    expect(run.stdout).toContain("    timeout http-keep-alive 3s\n");
    expect((await haproxyCheck(run.stdout)).ok).toBe(true);
  });

  it("writes the clear-text password only with --inline-auth, and warns about it", () => {
    const run = runs.get("inline")!;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("    stats auth admin:Venezuela21\n");
    expect(run.stderr).toMatch(/warning: frontends\[0\]\.stats\.auth: inline stats auth keeps the password in clear text/);
  });

  it("hashes a password read from the environment, never printing it", () => {
    const run = runs.get("envPassword")!;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {4}user profe password \$6\$fixedsalt\$[./A-Za-z0-9]{86}$/m);
    expect(run.stdout + run.stderr).not.toContain("ecret");
  });

  it("places extra web servers after the frontend's address and the static server after them", async () => {
    const run = runs.get("threeWeb")!;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("    server backend4 192.168.1.23:80 weight 30 cookie C source 192.168.1.20\n");
    expect(run.stdout).toContain("    server static 192.168.1.24:80 weight 50 source 192.168.1.20\n");
    expect(run.stdout).toContain("    cookie SERVERID insert indirect nocache\n");
    expect((await haproxyCheck(run.stdout)).ok).toBe(true);
  });
});
