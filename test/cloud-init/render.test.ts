import fc from "fast-check";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CloudConfigError,
  EC2_USER_DATA_LIMIT,
  parseUserData,
  renderUserData,
  renderUserDataDetailed,
  UserDataTooLargeError,
  validateCloudConfig,
  type CloudConfig,
  type WriteFile,
} from "../../components/cloud-init";
import { cloudInitSchema, cloudInitView } from "../helpers/cloud-init";

const sample: CloudConfig = {
  final_message: "done after $UPTIME s",
  runcmd: [["a2enmod", "-q", "headers"], ["echo", "on", "yes", "0644", "1:2", "a, b", "it's"]],
  write_files: [
    { path: "/etc/app/app.conf", permissions: "0640", owner: "root:www-data", defer: true, content: "key = value\n\tindented\n" },
    { path: "/var/www/html/pixel.png", content: Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10, 0, 255) },
  ],
  packages: ["apache2", "libapache2-mod-php"],
  package_update: true,
  hostname: "backend1",
  manage_etc_hosts: true,
};

/** Text and byte contents that stress YAML: indicators, YAML 1.1 booleans, blank lines, CR, controls. */
const awkwardText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }).filter((s) => !/[\ud800-\udfff]/u.test(s)),
  fc.constantFrom("yes", "on", "0644", "1:2", "~", "null", "- a", "# c", "---", "...", "  lead", "trail  ", "\n\n", "a\r\nb", "\tx\n", "x\u0085y", "x\u2028y", "\ufeffx", ""),
  fc.array(fc.constantFrom("global", "\tmaxconn 1", "  x: y", "", " ", "#", "'q'", '"dq"', "\\"), { maxLength: 12 }).map((lines) => lines.join("\n")),
);
const awkwardFile: fc.Arbitrary<WriteFile> = fc.record({
  path: fc.constantFrom("/etc/a", "/var/www/html/b.php", "/usr/local/sbin/c"),
  content: fc.oneof(awkwardText, fc.uint8Array({ maxLength: 80 })),
});

function bytesOf(content: WriteFile["content"]): Buffer {
  return typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
}

describe("renderUserData", () => {
  it("starts with #cloud-config and renders keys in the order cloud-init acts on them", () => {
    const text = renderUserData(sample, { host: "backend1" });
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    expect(text.endsWith("\n")).toBe(true);
    const keys = text.split("\n").filter((line) => /^[a-z_]+:/.test(line)).map((line) => line.split(":")[0]);
    expect(keys).toEqual(["hostname", "manage_etc_hosts", "package_update", "packages", "write_files", "runcmd", "final_message"]);
  });

  it("renders text files as readable literal blocks and binary files as b64", () => {
    const text = renderUserData(sample, { host: "backend1" });
    expect(text).toContain(
      [
        "  - path: /etc/app/app.conf",
        '    permissions: "0640"',
        "    owner: root:www-data",
        "    defer: true",
        "    content: |",
        "      key = value",
        "      \tindented",
      ].join("\n"),
    );
    expect(text).toContain("  - path: /var/www/html/pixel.png\n    encoding: b64\n    content: iVBORw0KGgoA/w==\n");
  });

  it("renders commands as one argv array per line, quoting what YAML 1.1 would turn into booleans or numbers", () => {
    const text = renderUserData(sample, { host: "backend1" });
    expect(text).toContain("runcmd:\n  - [a2enmod, -q, headers]\n");
    expect(text).toContain(`  - [echo, "on", "yes", "0644", "1:2", "a, b", it's]\n`);
  });

  it("is deterministic", () => {
    expect(renderUserData(sample, { host: "x" })).toBe(renderUserData(sample, { host: "x" }));
  });

  it("passes the real cloud-init schema, and cloud-init reads back every byte, mode, owner and argv", async () => {
    const text = renderUserData(sample, { host: "backend1" });
    const schema = await cloudInitSchema(text);
    expect(schema.output).toContain("Valid cloud-config");
    expect(schema.valid).toBe(true);
    const view = await cloudInitView(text);
    expect(view.files.map((file) => [file.path, file.mode.toString(8), file.owner, file.defer])).toEqual([
      ["/etc/app/app.conf", "640", "root:www-data", true],
      ["/var/www/html/pixel.png", "644", "root:root", false],
    ]);
    sample.write_files?.forEach((file, index) => expect(view.files[index].content.equals(bytesOf(file.content))).toBe(true));
    // util.shellify single-quotes every argv element: no word splitting, no globbing.
    expect(view.runcmdScript).toBe("#!/bin/sh\n'a2enmod' '-q' 'headers'\n'echo' 'on' 'yes' '0644' '1:2' 'a, b' 'it'\\''s'\n");
    expect(view.config.hostname).toBe("backend1");
    expect(view.config.package_update).toBe(true);
  });

  it("round-trips any text or bytes through cloud-init's own decoder, byte for byte", async () => {
    // Batched: one user-data with many files per cloud-init call keeps the property fast.
    await fc.assert(
      fc.asyncProperty(fc.array(awkwardFile, { minLength: 1, maxLength: 25 }), async (files) => {
        const text = renderUserData({ write_files: files }, { host: "prop" });
        const view = await cloudInitView(text);
        expect(view.files).toHaveLength(files.length);
        files.forEach((file, index) => expect(view.files[index].content.equals(bytesOf(file.content))).toBe(true));
      }),
      { numRuns: 12 },
    );
  });

  it("renders a text made only of blanks as b64, which the YAML emitter would otherwise lose", () => {
    const result = renderUserDataDetailed({ write_files: [{ path: "/blank", content: " \n \n" }] }, { host: "h" });
    expect(result.encodings).toEqual(["b64"]);
    expect(parseUserData(result.userData).write_files?.[0].content).toEqual(new Uint8Array(Buffer.from(" \n \n")));
  });

  it("round-trips through parseUserData exactly (model in, same bytes out)", () => {
    fc.assert(
      fc.property(fc.array(awkwardFile, { maxLength: 10 }), (files) => {
        const parsed = parseUserData(renderUserData({ write_files: files }, { host: "prop" }));
        expect(parsed.write_files?.map((file) => bytesOf(file.content).toString("hex"))).toEqual(files.map((file) => bytesOf(file.content).toString("hex")));
      }),
      { numRuns: 300 },
    );
  });
});

describe("the 16 KiB limit", () => {
  // Compressible text: a config that repeats itself, as real configs do.
  const bigText = (kib: number, seed: string): string => Array.from({ length: kib * 32 }, (_, i) => `${seed} line ${i % 50}: server web${i % 7} 10.0.0.${i % 200}:80\n`).join("").slice(0, kib * 1024);
  // Incompressible bytes: gzip cannot help.
  const noise = (bytes: number): Uint8Array => {
    let state = 0x9e3779b9; // xorshift32: deterministic, and gzip finds nothing to squeeze
    return Uint8Array.from({ length: bytes }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    });
  };

  it("leaves user-data under the limit untouched", () => {
    const result = renderUserDataDetailed({ write_files: [{ path: "/a", content: bigText(8, "a") }] }, { host: "h" });
    expect(result.compressed).toEqual([]);
    expect(result.encodings).toEqual(["text/plain"]);
    expect(result.bytes).toBeLessThanOrEqual(EC2_USER_DATA_LIMIT);
  });

  it("compresses the largest files with gz+b64, one at a time, until the user-data fits", async () => {
    const config: CloudConfig = {
      write_files: [
        { path: "/small", content: "tiny\n" },
        { path: "/big", content: bigText(12, "big") },
        { path: "/medium", content: bigText(6, "medium") },
      ],
    };
    const result = renderUserDataDetailed(config, { host: "haproxy" });
    expect(result.uncompressedBytes).toBeGreaterThan(EC2_USER_DATA_LIMIT);
    expect(result.bytes).toBeLessThanOrEqual(EC2_USER_DATA_LIMIT);
    expect(result.compressed).toEqual(["/big"]);
    expect(result.encodings).toEqual(["text/plain", "gz+b64", "text/plain"]);
    const view = await cloudInitView(result.userData);
    config.write_files?.forEach((file, index) => expect(view.files[index].content.equals(bytesOf(file.content))).toBe(true));
    expect((await cloudInitSchema(result.userData)).valid).toBe(true);
  });

  it("compresses further files when the largest alone is not enough", () => {
    const config: CloudConfig = {
      write_files: [
        { path: "/one", content: bigText(9, "one") },
        { path: "/two", content: bigText(9, "two") },
        { path: "/three", content: bigText(9, "six") },
      ],
    };
    const result = renderUserDataDetailed(config, { host: "h" });
    // Equal sizes: list order decides. One compressed file leaves ~18 KiB; two fit.
    expect(result.compressed).toEqual(["/one", "/two"]);
    expect(result.bytes).toBeLessThanOrEqual(EC2_USER_DATA_LIMIT);
  });

  it("gzips deterministically: the same model always yields the same user-data", () => {
    const config: CloudConfig = { write_files: [{ path: "/one", content: bigText(20, "one") }] };
    const first = renderUserData(config, { host: "h" });
    expect(renderUserData(config, { host: "h" })).toBe(first);
    const b64 = /content: (\S+)/.exec(first)?.[1] ?? "";
    const gz = Buffer.from(b64, "base64");
    expect(gz.readUInt32LE(4)).toBe(0); // gzip mtime field
    expect(gunzipSync(gz).toString("utf8")).toBe(bigText(20, "one"));
  });

  it("keeps an encoding the model pins, even when that means failing", () => {
    const config: CloudConfig = { write_files: [{ path: "/pinned", encoding: "b64", content: bigText(20, "p") }] };
    expect(() => renderUserData(config, { host: "h" })).toThrow(UserDataTooLargeError);
  });

  it("throws naming the host, the size and the size after compression when nothing makes it fit", () => {
    const config: CloudConfig = { write_files: [{ path: "/noise.bin", content: noise(14_000) }] };
    let caught: unknown;
    try {
      renderUserData(config, { host: "backend3" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserDataTooLargeError);
    const error = caught as UserDataTooLargeError;
    expect(error.host).toBe("backend3");
    expect(error.bytes).toBeGreaterThan(EC2_USER_DATA_LIMIT);
    expect(error.compressedBytes).toBeGreaterThan(EC2_USER_DATA_LIMIT);
    expect(error.message).toContain(`host "backend3" is ${error.bytes} bytes`);
    expect(error.message).toContain(`still ${error.compressedBytes} bytes`);
    expect(error.message).toContain("at most 16384 bytes");
  });

  it("accepts another limit for other clouds and for tests", () => {
    const result = renderUserDataDetailed({ write_files: [{ path: "/a", content: bigText(3, "a") }] }, { host: "h", limit: 2048 });
    expect(result.bytes).toBeLessThanOrEqual(2048);
    expect(result.compressed).toEqual(["/a"]);
  });
});

describe("validateCloudConfig", () => {
  it.each<[string, string, CloudConfig]>([
    ["a relative path", "write_files[0].path", { write_files: [{ path: "etc/x", content: "" }] }],
    ["a path with ..", "write_files[0].path", { write_files: [{ path: "/var/www/../../etc/shadow", content: "" }] }],
    ["a directory path", "write_files[0].path", { write_files: [{ path: "/etc/", content: "" }] }],
    ["a non-octal mode", "write_files[0].permissions", { write_files: [{ path: "/x", permissions: "rw-r--r--", content: "" }] }],
    ["a numeric-looking mode that is not octal", "write_files[0].permissions", { write_files: [{ path: "/x", permissions: "0999", content: "" }] }],
    ["an owner with a space", "write_files[0].owner", { write_files: [{ path: "/x", owner: "root root", content: "" }] }],
    ["binary content pinned to text/plain", "write_files[0].encoding", { write_files: [{ path: "/x", encoding: "text/plain", content: Uint8Array.of(0) }] }],
    ["CRLF text pinned to text/plain", "write_files[0].encoding", { write_files: [{ path: "/x", encoding: "text/plain", content: "a\r\n" }] }],
    ["a lone surrogate", "write_files[0].content", { write_files: [{ path: "/x", content: "a\ud800" }] }],
    ["an empty command", "runcmd[0]", { runcmd: [[]] }],
    ["an empty program name", "bootcmd[0][0]", { bootcmd: [["", "x"]] }],
    ["a package name with a space", "packages[0]", { packages: ["apache2 php"] }],
    ["a host name with a dot", "hostname", { hostname: "backend1.lab" }],
    ["a multi-line ssh key", "ssh_authorized_keys[0]", { ssh_authorized_keys: ["ssh-ed25519 AAAA x\nssh-rsa BBBB y"] }],
    ["a user name in capitals", "users[0].name", { users: [{ name: "Admin" }] }],
  ])("rejects %s (at %s)", (_what, path, config) => {
    const problems = validateCloudConfig(config);
    expect(problems.filter((problem) => problem.severity === "error").map((problem) => problem.path)).toEqual([path]);
    expect(() => renderUserData(config, { host: "h" })).toThrow(CloudConfigError);
  });

  it("reports every problem at once, each with a fix", () => {
    const problems = validateCloudConfig({ packages: ["Bad Name"], write_files: [{ path: "x", permissions: "abc", content: "" }], runcmd: [[]] });
    expect(problems.map((problem) => problem.path)).toEqual(["packages[0]", "write_files[0].path", "write_files[0].permissions", "runcmd[0]"]);
    for (const problem of problems) expect(problem.message.length).toBeGreaterThan(20);
  });

  it("warns, without failing, when two entries write the same path", () => {
    const problems = validateCloudConfig({ write_files: [{ path: "/x", content: "a" }, { path: "/x", content: "b" }] });
    expect(problems).toEqual([expect.objectContaining({ severity: "warning", path: "write_files[1].path" })]);
    expect(validateCloudConfig({ write_files: [{ path: "/x", content: "a" }, { path: "/x", content: "b", append: true }] })).toEqual([]);
  });

  it("names the host in the renderer's error", () => {
    expect(() => renderUserData({ write_files: [{ path: "x", content: "" }] }, { host: "backend2" })).toThrow(/host "backend2"[\s\S]*write_files\[0\]\.path/);
  });

  it("accepts the sample", () => {
    expect(validateCloudConfig(sample)).toEqual([]);
  });
});
