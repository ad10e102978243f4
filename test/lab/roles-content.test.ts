/**
 * The lab's real files: the PHP probes run under real PHP 8, the logo decodes to the picture we
 * draw, and the validate-and-reload script is exercised for real (fake haproxy/systemctl on PATH
 * for its branches, then the real haproxy -c and a real master-worker reload on loopback).
 */
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPLY_SCRIPT_PATH, LAB_CONTENT_DIR, LAB_CONTENT_FILES, loadLabContent } from "../../components/lab/content";
import { apacheConfFor } from "../../components/lab/roles";
import { crc32, encodeGif, encodePng, labLogo, PNG_SIGNATURE, type IndexedImage } from "../../components/lab/content/images";
import { run } from "../helpers/cloud-init";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "lab-content-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// PHP

/** Runs a lab PHP file under php-cli as mod_php would see it; any notice/warning/deprecation fails the run. */
const HARNESS = String.raw`<?php
set_error_handler(function (int $no, string $message, string $file, int $line): bool {
    fwrite(STDERR, "PHP-DIAGNOSTIC $no: $message at $file:$line\n");
    exit(97);
});
$request = json_decode($argv[2], true);
foreach ($request['server'] as $key => $value) { $_SERVER[$key] = $value; }
if (isset($request['sessionId'])) { $_COOKIE['PHPSESSID'] = $request['sessionId']; session_id($request['sessionId']); }
include $argv[1];
`;

interface PhpRequest {
  readonly server: Readonly<Record<string, string>>;
  readonly sessionId?: string;
}

async function runPhp(file: string, phpRequest: PhpRequest, sessionDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const harness = join(scratch, "harness.php");
  await writeFile(harness, HARNESS);
  return run("php", ["-d", "error_reporting=-1", "-d", "display_errors=stderr", "-d", `session.save_path=${sessionDir}`, harness, file, JSON.stringify(phpRequest)], {
    env: { PATH: process.env.PATH, ...env },
  });
}

const behindHaproxy = { SERVER_ADDR: "192.168.1.21", REMOTE_ADDR: "192.168.1.20" };

describe("the PHP probes", () => {
  it.each(["prueba.php", "sesiones.php"])("%s passes php -l", async (name) => {
    const result = await run("php", ["-l", join(LAB_CONTENT_DIR, name)]);
    expect(result.stdout).toContain("No syntax errors detected");
    expect(result.code).toBe(0);
  });

  it("the harness catches what the seed's PHP 5 prueba.php does without X-Forwarded-For (so a clean run means something)", async () => {
    const seed = join(scratch, "seed-prueba.php");
    await writeFile(seed, `<?php\nheader('Content-Type: text/plain');\necho "Server IP: ".$_SERVER['SERVER_ADDR'];\necho "\\nClient IP: ".$_SERVER['REMOTE_ADDR'];\necho "\\nX-Forwarded-for: ".$_SERVER['HTTP_X_FORWARDED_FOR'];\n?>\n`);
    const result = await runPhp(seed, { server: behindHaproxy }, scratch);
    expect(result.code).toBe(97);
    expect(result.stderr).toContain('Undefined array key "HTTP_X_FORWARDED_FOR"');
  });

  it("prueba.php prints the seed's lines and the host name, without warnings when X-Forwarded-For is absent", async () => {
    const result = await runPhp(join(LAB_CONTENT_DIR, "prueba.php"), { server: { ...behindHaproxy, LAB_HOST_NAME: "backend1" } }, scratch);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Server IP: 192.168.1.21\nClient IP: 192.168.1.20\nX-Forwarded-for: \nServer name: backend1\n");
  });

  it("prueba.php shows X-Forwarded-For when HAProxy adds it, and falls back to the environment for the host name", async () => {
    const result = await runPhp(join(LAB_CONTENT_DIR, "prueba.php"), { server: { ...behindHaproxy, HTTP_X_FORWARDED_FOR: "192.168.1.46" } }, scratch, { LAB_HOST_NAME: "backend2" });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("Server IP: 192.168.1.21\nClient IP: 192.168.1.20\nX-Forwarded-for: 192.168.1.46\nServer name: backend2\n");
  });

  it("prueba.php survives a request with no server variables at all", async () => {
    const result = await runPhp(join(LAB_CONTENT_DIR, "prueba.php"), { server: {} }, scratch, { LAB_HOST_NAME: "backend1" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("sesiones.php says first visit, then counts visits on the same session, without warnings", async () => {
    const sessions = join(scratch, "sessions");
    await mkdir(sessions, { recursive: true });
    const file = join(LAB_CONTENT_DIR, "sesiones.php");
    const first = await runPhp(file, { server: { ...behindHaproxy, LAB_HOST_NAME: "backend1" } }, sessions);
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("Esta es la primera vez que se visita este servidor\nServer IP: 192.168.1.21\nClient IP: 192.168.1.20\nX-Forwarded-for: \nServer name: backend1\nArray\n(\n)\n");
    const [sessionFile] = (await readdir(sessions)).filter((name) => name.startsWith("sess_"));
    expect(sessionFile).toBeDefined();
    const sessionId = sessionFile.slice("sess_".length);
    for (const visits of [1, 2, 3]) {
      const again = await runPhp(file, { server: { ...behindHaproxy, HTTP_X_FORWARDED_FOR: "192.168.1.46", LAB_HOST_NAME: "backend1" }, sessionId }, sessions);
      expect(again.stderr).toBe("");
      expect(again.stdout).toBe(`El numero de visitas es : ${visits}\nServer IP: 192.168.1.21\nClient IP: 192.168.1.20\nX-Forwarded-for: 192.168.1.46\nServer name: backend1\nArray\n(\n    [PHPSESSID] => ${sessionId}\n)\n`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Apache snippet

describe("the Apache snippet (haproxy-lab.conf)", () => {
  async function apacheSyntax(withHeaders: boolean): Promise<{ code: number; output: string }> {
    const dir = await mkdtemp(join(scratch, "apache-"));
    const snippet = join(dir, "haproxy-lab.conf");
    await writeFile(snippet, apacheConfFor("backend1", loadLabContent()));
    const modules = ["mpm_prefork", "authz_core", "env", ...(withHeaders ? ["headers"] : [])];
    const conf = [
      `ServerRoot ${dir}`,
      `DefaultRuntimeDir ${dir}`,
      `PidFile ${dir}/apache.pid`,
      `ErrorLog ${dir}/error.log`,
      `Mutex file:${dir}`,
      ...modules.map((name) => `LoadModule ${name}_module /usr/lib/apache2/modules/mod_${name}.so`),
      "Listen 127.0.0.1:8080",
      `Include ${snippet}`,
      "",
    ].join("\n");
    await writeFile(join(dir, "httpd.conf"), conf);
    const result = await run("apache2", ["-t", "-f", join(dir, "httpd.conf")]);
    return { code: result.code, output: result.stdout + result.stderr };
  }

  it("passes apache2 -t with mod_headers and mod_env", async () => {
    const result = await apacheSyntax(true);
    expect(result.output).toContain("Syntax OK");
    expect(result.code).toBe(0);
  });

  it("stops Apache from starting without mod_headers, so a missing a2enmod is a visible failure", async () => {
    const result = await apacheSyntax(false);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("Invalid command 'Header'");
  });
});

// ---------------------------------------------------------------------------------------------
// Images

function decodePng(bytes: Uint8Array): IndexedImage {
  const buffer = Buffer.from(bytes);
  expect(buffer.subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE))).toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  let palette: [number, number, number][] = [];
  const idat: Buffer[] = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString("ascii", offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    expect(buffer.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(buffer.subarray(offset + 4, offset + 8 + length)));
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 3, 0]);
    }
    if (type === "PLTE") palette = Array.from({ length: data.length / 3 }, (_, i) => [data[i * 3], data[i * 3 + 1], data[i * 3 + 2]]);
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)], "filter type").toBe(0);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, palette, pixels };
}

function decodeGif(bytes: Uint8Array): IndexedImage {
  const buffer = Buffer.from(bytes);
  expect(buffer.toString("ascii", 0, 6)).toBe("GIF89a");
  const width = buffer.readUInt16LE(6);
  const height = buffer.readUInt16LE(8);
  const tableSize = 2 << (buffer[10] & 7);
  const palette = Array.from({ length: tableSize }, (_, i): [number, number, number] => [buffer[13 + i * 3], buffer[14 + i * 3], buffer[15 + i * 3]]);
  let offset = 13 + tableSize * 3;
  expect(buffer[offset]).toBe(0x2c);
  offset += 10;
  const minCodeSize = buffer[offset++];
  const data: number[] = [];
  while (buffer[offset] !== 0) {
    const size = buffer[offset++];
    data.push(...buffer.subarray(offset, offset + size));
    offset += size;
  }
  expect(buffer[offset + 1]).toBe(0x3b);
  // LZW decode (GIF variant, LSB-first codes).
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  let codeSize = minCodeSize + 1;
  let dictionary: number[][] = [];
  const reset = (): void => {
    dictionary = Array.from({ length: clear + 2 }, (_, i) => [i]);
    codeSize = minCodeSize + 1;
  };
  reset();
  const out: number[] = [];
  let previous: number[] | undefined;
  let bitPos = 0;
  for (;;) {
    let code = 0;
    for (let i = 0; i < codeSize; i++, bitPos++) code |= ((data[bitPos >> 3] >> (bitPos & 7)) & 1) << i;
    if (code === clear) {
      reset();
      previous = undefined;
      continue;
    }
    if (code === end) break;
    let entry: number[];
    if (code < dictionary.length) entry = dictionary[code];
    else if (previous) entry = [...previous, previous[0]];
    else throw new Error("bad LZW stream");
    out.push(...entry);
    if (previous && dictionary.length < 4096) dictionary.push([...previous, entry[0]]);
    if (dictionary.length === 1 << codeSize && codeSize < 12) codeSize++;
    previous = entry;
  }
  return { width, height, palette, pixels: Uint8Array.from(out) };
}

describe("the logo", () => {
  const logo = labLogo();

  it.each([
    ["logo-med.png", encodePng, decodePng],
    ["logo-med.gif", encodeGif, decodeGif],
  ] as const)("%s is the lab's picture, encoded by us (UPDATE_GOLDEN=1 regenerates it)", async (name, encode, decode) => {
    const path = join(LAB_CONTENT_DIR, name);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(path, encode(logo));
    const image = decode(new Uint8Array(await readFile(path)));
    expect([image.width, image.height]).toEqual([logo.width, logo.height]);
    expect(image.palette.slice(0, logo.palette.length)).toEqual(logo.palette);
    expect(Buffer.from(image.pixels).equals(Buffer.from(logo.pixels))).toBe(true);
    // Small enough to ride in the static host's user-data.
    expect((await stat(path)).size).toBeLessThan(2048);
  });

  it("draws more than a blank canvas (frontend, backends, caption)", () => {
    const colours = new Set(logo.pixels);
    expect(colours.size).toBe(logo.palette.length);
  });

  it("loads as the bytes in the repo", async () => {
    const content = loadLabContent();
    expect(Buffer.from(content.logoPng).equals(await readFile(join(LAB_CONTENT_DIR, LAB_CONTENT_FILES.logoPng)))).toBe(true);
    expect(Buffer.from(content.logoGif).equals(await readFile(join(LAB_CONTENT_DIR, LAB_CONTENT_FILES.logoGif)))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// haproxy-lab-apply

interface Fakes {
  readonly bin: string;
  readonly calls: string;
}

/** A PATH directory with fake haproxy, systemctl and logger that record their calls. */
async function makeFakes(dir: string): Promise<Fakes> {
  const bin = join(dir, "bin");
  const calls = join(dir, "calls.log");
  await mkdir(bin, { recursive: true });
  await writeFile(calls, "");
  const fakes: Record<string, string> = {
    // Refuses a file containing INVALID, the way haproxy reports a bad line.
    haproxy: `#!/bin/bash\necho "haproxy $*" >>"${calls}"\nfile=\${@: -1}\nif grep -q INVALID "$file"; then echo "[ALERT]    (1) : config : parsing [$file:2] : unknown keyword 'INVALID' in 'global' section" >&2; exit 1; fi\necho "Configuration file is valid"\n`,
    systemctl: `#!/bin/bash\necho "systemctl $*" >>"${calls}"\ncase $1 in\n  is-active) [[ \${FAKE_ACTIVE:-yes} == yes ]] ;;\n  reload|restart) [[ \${FAKE_RELOAD_FAILS:-no} == no ]] ;;\n  *) exit 0 ;;\nesac\n`,
    logger: `#!/bin/bash\necho "logger $*" >>"${calls}"\n`,
  };
  for (const [name, body] of Object.entries(fakes)) {
    await writeFile(join(bin, name), body);
    await chmod(join(bin, name), 0o755);
  }
  return { bin, calls };
}

async function applyScript(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return run("bash", [APPLY_SCRIPT_PATH, ...args], { env: { PATH: process.env.PATH, ...env }, timeoutMs: 20_000 });
}

describe("haproxy-lab-apply (the one validate-and-reload script)", () => {
  let dir: string;
  let fakes: Fakes;
  let staged: string;
  let target: string;
  const fakePath = (): string => `${fakes.bin}:${process.env.PATH}`;
  const running = "global\n\tmaxconn 10\n# the config that is serving\n";

  beforeAll(async () => {
    dir = await mkdtemp(join(scratch, "apply-"));
    fakes = await makeFakes(dir);
    await mkdir(join(dir, "etc"), { recursive: true });
    staged = join(dir, "etc", "haproxy.cfg.staged");
    target = join(dir, "etc", "haproxy.cfg");
  });

  async function reset(stagedText: string): Promise<void> {
    await writeFile(target, running);
    await chmod(target, 0o644);
    await writeFile(staged, stagedText);
    await chmod(staged, 0o640);
    await writeFile(fakes.calls, "");
  }

  it("is shellcheck-clean (all optional checks but braces)", async () => {
    const result = await run("shellcheck", ["-o", "all", "-e", "SC2250", APPLY_SCRIPT_PATH]);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("documents its flags with --help", async () => {
    const result = await applyScript(["--help"]);
    expect(result.code).toBe(0);
    for (const flag of ["--staged FILE", "--target FILE", "--reload MODE", "systemd", "pid:FILE", "none", "--check-only", "--haproxy BIN", "Exit status"]) expect(result.stdout).toContain(flag);
  });

  it.each([
    ["no --staged", [], /--staged FILE is required/],
    ["an unknown flag", ["--staged", "/etc/hostname", "--frobnicate"], /unknown argument '--frobnicate'/],
    ["an unknown reload mode", ["--staged", "/etc/hostname", "--reload", "kill"], /--reload 'kill' is not one of/],
    ["a flag without its value", ["--staged"], /--staged needs a value/],
    ["a missing staged file", ["--staged", "/nonexistent/haproxy.cfg"], /is not a readable file/],
  ])("exits 2 with the fix on %s", async (_what, args, message) => {
    const result = await applyScript(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("--help");
  });

  it("refuses a config that fails haproxy -c: target untouched, reason on stderr and in syslog, exit 1, no reload", async () => {
    await reset("global\nINVALID directive\n");
    const before = await stat(target);
    const result = await applyScript(["--staged", staged, "--target", target, "--reload", "systemd"], { PATH: fakePath() });
    expect(result.code).toBe(1);
    expect(await readFile(target, "utf8")).toBe(running);
    expect((await stat(target)).ino).toBe(before.ino);
    expect(result.stderr).toContain(`REFUSED ${staged}: 'haproxy -c' failed; ${target} left untouched`);
    expect(result.stderr).toContain("unknown keyword 'INVALID'");
    const calls = await readFile(fakes.calls, "utf8");
    expect(calls).toContain(`haproxy -c -f ${staged}`);
    expect(calls).toMatch(/logger -t haproxy-lab -p daemon.err -- REFUSED/);
    expect(calls).not.toContain("systemctl");
    expect((await readdir(join(dir, "etc"))).sort()).toEqual(["haproxy.cfg", "haproxy.cfg.staged"]);
  });

  it("installs a valid config atomically with the staged file's mode, enables haproxy and reloads it when active", async () => {
    const next = "global\n\tmaxconn 20\n";
    await reset(next);
    const before = await stat(target);
    const result = await applyScript(["--staged", staged, "--target", target, "--reload", "systemd"], { PATH: fakePath(), FAKE_ACTIVE: "yes" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await readFile(target, "utf8")).toBe(next);
    const after = await stat(target);
    expect(after.ino).not.toBe(before.ino); // a rename, not an in-place rewrite
    expect((after.mode & 0o777).toString(8)).toBe("640");
    const calls = (await readFile(fakes.calls, "utf8")).split("\n").filter((line) => line.startsWith("systemctl"));
    expect(calls).toEqual(["systemctl enable --quiet haproxy", "systemctl is-active --quiet haproxy", "systemctl reload haproxy"]);
    expect(result.stdout).toMatch(/installed .* \(sha256 [0-9a-f]{12}\)/);
    expect((await readdir(join(dir, "etc"))).sort()).toEqual(["haproxy.cfg", "haproxy.cfg.staged"]);
  });

  it("starts haproxy (restart) when it is not running", async () => {
    await reset("global\n\tmaxconn 30\n");
    const result = await applyScript(["--staged", staged, "--target", target], { PATH: fakePath(), FAKE_ACTIVE: "no" });
    expect(result.code).toBe(0);
    expect(await readFile(fakes.calls, "utf8")).toContain("systemctl restart haproxy");
  });

  it("exits 4 when the reload fails, with the checked config installed and a pointer to the journal", async () => {
    await reset("global\n\tmaxconn 40\n");
    const result = await applyScript(["--staged", staged, "--target", target], { PATH: fakePath(), FAKE_RELOAD_FAILS: "yes" });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("journalctl -u haproxy");
    expect(await readFile(target, "utf8")).toBe("global\n\tmaxconn 40\n");
  });

  it("--check-only checks and installs nothing", async () => {
    await reset("global\n\tmaxconn 50\n");
    const result = await applyScript(["--staged", staged, "--target", target, "--check-only"], { PATH: fakePath() });
    expect(result.code).toBe(0);
    expect(await readFile(target, "utf8")).toBe(running);
    expect(await readFile(fakes.calls, "utf8")).not.toContain("systemctl");
  });

  it("exits 1 without touching the target when haproxy is not installed", async () => {
    await reset("global\n");
    const result = await applyScript(["--staged", staged, "--target", target, "--haproxy", join(dir, "no-haproxy")], { PATH: fakePath() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not found (install the haproxy package");
    expect(await readFile(target, "utf8")).toBe(running);
  });

  it("pid:FILE signals the master with SIGUSR2, and exits 4 when no such process runs", async () => {
    await reset("global\n\tmaxconn 60\n");
    const marker = join(dir, "usr2");
    // A stand-in master that records SIGUSR2 and exits; bounded by its own 20 s sleep.
    const master = spawn("bash", ["-c", `trap 'echo got >"${marker}"; exit 0' USR2; for _ in $(seq 200); do sleep 0.1; done`], { stdio: "ignore" });
    try {
      const pidFile = join(dir, "haproxy.pid");
      await writeFile(pidFile, `${master.pid}\n`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // let bash install its trap
      const result = await applyScript(["--staged", staged, "--target", target, "--reload", `pid:${pidFile}`], { PATH: fakePath() });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      for (let i = 0; i < 50 && !(await stat(marker).catch(() => undefined)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await readFile(marker, "utf8")).toBe("got\n");

      await writeFile(pidFile, "999999999\n");
      await reset("global\n\tmaxconn 70\n");
      const stale = await applyScript(["--staged", staged, "--target", target, "--reload", `pid:${pidFile}`], { PATH: fakePath() });
      expect(stale.code).toBe(4);
      expect(stale.stderr).toContain("haproxy -W -D -p");
    } finally {
      master.kill("SIGKILL");
    }
  });
});

describe("haproxy-lab-apply against the real haproxy", () => {
  async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
  }

  function get(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 2000 }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(body));
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", reject);
      req.end();
    });
  }

  const config = (port: number, body: string): string =>
    `global\n\tmaster-worker\n\tmaxconn 100\n\ndefaults\n\tmode http\n\ttimeout connect 1s\n\ttimeout client 5s\n\ttimeout server 5s\n\nfrontend lab\n\tbind 127.0.0.1:${port}\n\thttp-request return status 200 content-type text/plain string ${body}\n`;

  it("refuses the seed's HAProxy 1.4 syntax with the real checker and keeps the running file", async () => {
    const dir = await mkdtemp(join(scratch, "real-check-"));
    const staged = join(dir, "haproxy.cfg.staged");
    const target = join(dir, "haproxy.cfg");
    await writeFile(target, config(8, "old"));
    await writeFile(staged, "global\n\tmaxconn 10\ndefaults\n\tmode http\n\tcontimeout 5000\n\tclitimeout 50000\n");
    const result = await run("bash", [APPLY_SCRIPT_PATH, "--staged", staged, "--target", target, "--reload", "none"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("contimeout");
    expect(await readFile(target, "utf8")).toBe(config(8, "old"));
  });

  it("checks, installs and seamlessly reloads a real master-worker haproxy on loopback (pid:FILE)", async () => {
    const dir = await mkdtemp(join(scratch, "real-reload-"));
    const staged = join(dir, "haproxy.cfg.staged");
    const target = join(dir, "haproxy.cfg");
    const pidFile = join(dir, "haproxy.pid");
    const port = await freePort();
    await writeFile(target, config(port, "v1"));
    const started = await run("haproxy", ["-W", "-D", "-p", pidFile, "-f", target]);
    expect(started.stderr).not.toContain("ALERT");
    const masterPid = Number((await readFile(pidFile, "utf8")).trim());
    try {
      let body = "";
      for (let i = 0; i < 50 && body !== "v1"; i++) {
        body = await get(port).catch(() => "");
        if (body !== "v1") await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(body).toBe("v1");

      await writeFile(staged, config(port, "v2"));
      const result = await run("bash", [APPLY_SCRIPT_PATH, "--staged", staged, "--target", target, "--reload", `pid:${pidFile}`]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      for (let i = 0; i < 50 && body !== "v2"; i++) {
        body = await get(port).catch(() => "");
        if (body !== "v2") await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(body).toBe("v2");
      // Same master, new config: a reload, not a restart.
      expect(Number((await readFile(pidFile, "utf8")).trim())).toBe(masterPid);
    } finally {
      process.kill(masterPid, "SIGTERM");
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(masterPid, 0);
        } catch {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
});
