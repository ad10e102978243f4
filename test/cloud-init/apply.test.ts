import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyWriteFiles, parseUserData, renderUserData, resolveUnderRoot, type CloudConfig } from "../../components/cloud-init";
import { cloudInitView } from "../helpers/cloud-init";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "apply-write-files-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<string> => ((await stat(path)).mode & 0o7777).toString(8).padStart(4, "0");
const png = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10, 0, 1, 2, 254, 255);

const config: CloudConfig = {
  write_files: [
    { path: "/etc/haproxy/haproxy.cfg.staged", permissions: "0640", owner: "root:root", defer: true, content: "global\n\tmaxconn 10\n" },
    { path: "/usr/local/sbin/tool", permissions: "0755", content: "#!/bin/sh\nexit 0\n" },
    { path: "/var/www/html/logo.png", content: png },
    { path: "/etc/motd", content: "first\n" },
    { path: "/etc/motd", append: true, content: "second\n" },
    { path: "/tmp/open", permissions: "0666", content: "world-writable on purpose: proves chmod ignores the umask\n" },
  ],
};

describe("applyWriteFiles", () => {
  it("writes every file under the root with its bytes and its mode, in cloud-init's order (deferred last)", async () => {
    const written = await applyWriteFiles(config, root);
    expect(written).toEqual([
      join(root, "usr/local/sbin/tool"),
      join(root, "var/www/html/logo.png"),
      join(root, "etc/motd"),
      join(root, "etc/motd"),
      join(root, "tmp/open"),
      join(root, "etc/haproxy/haproxy.cfg.staged"),
    ]);
    expect(await readFile(join(root, "etc/haproxy/haproxy.cfg.staged"), "utf8")).toBe("global\n\tmaxconn 10\n");
    expect(new Uint8Array(await readFile(join(root, "var/www/html/logo.png")))).toEqual(png);
    expect(await modeOf(join(root, "etc/haproxy/haproxy.cfg.staged"))).toBe("0640");
    expect(await modeOf(join(root, "usr/local/sbin/tool"))).toBe("0755");
    expect(await modeOf(join(root, "var/www/html/logo.png"))).toBe("0644"); // cloud-init's default
    expect(await modeOf(join(root, "tmp/open"))).toBe("0666");
  });

  it("appends when append is set, replaces otherwise", async () => {
    await applyWriteFiles(config, root);
    expect(await readFile(join(root, "etc/motd"), "utf8")).toBe("first\nsecond\n");
    await applyWriteFiles({ write_files: [{ path: "/etc/motd", content: "replaced\n" }] }, root);
    expect(await readFile(join(root, "etc/motd"), "utf8")).toBe("replaced\n");
  });

  it("writes, from rendered user-data, exactly the bytes and modes cloud-init itself decodes (text, b64, gz+b64)", async () => {
    const big = Array.from({ length: 700 }, (_, i) => `server web${i % 9} 10.0.0.${i % 250}:80 check\n`).join("");
    const model: CloudConfig = { write_files: [...(config.write_files ?? []), { path: "/etc/big.cfg", permissions: "0600", content: big }] };
    const userData = renderUserData(model, { host: "h" });
    expect(userData).toContain("encoding: gz+b64");
    expect(userData).toContain("encoding: b64");
    await applyWriteFiles(parseUserData(userData), root);
    const view = await cloudInitView(userData);
    // Last writer wins for a path (append handled above): compare each distinct path's final state.
    for (const file of view.files.filter((f) => !f.append && f.path !== "/etc/motd")) {
      const local = join(root, file.path);
      expect((await readFile(local)).equals(file.content), file.path).toBe(true);
      expect(await modeOf(local), file.path).toBe(file.mode.toString(8).padStart(4, "0"));
    }
    expect(await readFile(join(root, "etc/big.cfg"), "utf8")).toBe(big);
  });

  it.each([
    ["a relative path", "etc/passwd"],
    ["a .. segment", "/var/www/../../../etc/passwd"],
    ["a bare ..", "/.."],
  ])("refuses %s", async (_what, path) => {
    await expect(applyWriteFiles({ write_files: [{ path, content: "x" }] }, root)).rejects.toThrow(/not absolute|'\.\.'/);
  });

  it("refuses to write through a directory symlink that leads out of the root", async () => {
    const outside = await mkdtemp(join(tmpdir(), "apply-outside-"));
    try {
      await mkdir(join(root, "etc"), { recursive: true });
      await symlink(outside, join(root, "etc", "haproxy"));
      await expect(applyWriteFiles({ write_files: [{ path: "/etc/haproxy/haproxy.cfg", content: "x" }] }, root)).rejects.toThrow(/outside/);
      await expect(stat(join(outside, "haproxy.cfg"))).rejects.toThrow();
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("refuses to write through a file symlink", async () => {
    const outsideDir = await mkdtemp(join(tmpdir(), "apply-outside-"));
    const victim = join(outsideDir, "victim");
    try {
      await writeFile(victim, "untouched");
      await mkdir(join(root, "etc"), { recursive: true });
      await symlink(victim, join(root, "etc", "motd"));
      await expect(applyWriteFiles({ write_files: [{ path: "/etc/motd", content: "x" }] }, root)).rejects.toThrow(/symlink/);
      expect(await readFile(victim, "utf8")).toBe("untouched");
    } finally {
      await rm(outsideDir, { recursive: true, force: true });
    }
  });

  it("maps paths under the root and nowhere else", () => {
    expect(resolveUnderRoot("/lab/web1", "/var/www/html/index.html")).toBe("/lab/web1/var/www/html/index.html");
    expect(() => resolveUnderRoot("/lab/web1", "/var/../../x")).toThrow();
  });

  it("chowns to the owner only as root (or when asked), and names an unknown owner", async () => {
    const file = { path: "/etc/owned", owner: "nobody:nogroup", content: "x" };
    if (process.getuid?.() === 0) {
      await applyWriteFiles({ write_files: [file] }, root);
      const info = await stat(join(root, "etc/owned"));
      const passwd = await readFile("/etc/passwd", "utf8");
      const nobody = Number(passwd.split("\n").find((line) => line.startsWith("nobody:"))?.split(":")[2]);
      expect(info.uid).toBe(nobody);
      await expect(applyWriteFiles({ write_files: [{ ...file, owner: "no-such-user:no-such-group" }] }, root)).rejects.toThrow(/no-such-user:no-such-group does not exist/);
    } else {
      await applyWriteFiles({ write_files: [file] }, root);
      expect((await stat(join(root, "etc/owned"))).uid).toBe(process.getuid?.());
    }
    await applyWriteFiles({ write_files: [{ ...file, path: "/etc/recorded" }] }, root, { chown: false });
    expect((await stat(join(root, "etc/recorded"))).uid).toBe(process.getuid?.());
  });
});
