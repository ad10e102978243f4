/**
 * Every host's user-data, as renderLab makes it, against the real tools: cloud-init's schema and
 * decoder, haproxy -c, and a write_files apply to a temp root. Golden files for the seed's hosts.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyWriteFiles, EC2_USER_DATA_LIMIT, parseUserData } from "../../components/cloud-init";
import { renderHaproxyConfig } from "../../components/haproxy";
import { APPLY_SCRIPT_PATH, LAB_CONTENT_DIR, LAB_CONTENT_FILES } from "../../components/lab/content";
import { labHaproxyConfig } from "../../components/lab/haproxy";
import { renderLab } from "../../components/lab/render";
import { LAB_PATHS } from "../../components/lab/roles";
import { resolveLabSettings } from "../../components/lab/settings";
import { planLabTopology } from "../../components/lab/topology";
import type { LabSettingsInput, LabTopology, RenderedLab, StatsCredentialsHash } from "../../components/lab/types";
import { cloudInitSchemaAll, cloudInitView, run } from "../helpers/cloud-init";
import { expectGolden } from "../helpers/golden";
import { haproxyCheck } from "../helpers/haproxy";

// A fixed hash (openssl passwd -6 -salt haproxylabgold Venezuela21) keeps the golden files stable.
const stats: StatsCredentialsHash = {
  user: "admin",
  passwordHash: "$6$haproxylabgold$U3ZvEebJmqmPVd5YOLALclO50Z2l.P9I9Z6BbTjF.9a3XyLitBJJUe4rVZE5OeQS12XTXbo.54epl6w.Uw41z.",
};

function topologyFor(input: LabSettingsInput): LabTopology {
  const { settings, problems } = resolveLabSettings(input);
  if (!settings) throw new Error(JSON.stringify(problems));
  return planLabTopology(settings);
}

const variants: Readonly<Record<string, LabSettingsInput>> = {
  "seed defaults": {},
  "seed profile": { profile: "seed" },
  "3 web backends": { webServers: [{ name: "backend1", weight: 60 }, { name: "backend2", weight: 45 }, { name: "backend4", weight: 30 }] },
  "other weights": { webServers: [{ name: "backend1", weight: 10 }, { name: "backend2", weight: 90 }] },
  "insert cookies": { cookieMode: "insert" },
  "http-server-close": { keepAlive: "http-server-close" },
  "no persistence, two static hosts": { cookieMode: "none", staticServers: [{ name: "backend3", weight: 50 }, { name: "static2", weight: 50 }] },
  // The largest lab the settings allow: the frontend's user-data grows with every server line.
  "largest lab (16 web, 4 static)": {
    webServers: Array.from({ length: 16 }, (_, i) => ({ name: `web${i + 1}`, weight: 10 + i })),
    staticServers: Array.from({ length: 4 }, (_, i) => ({ name: `static${i + 1}`, weight: 50 })),
  },
};

const labs: Record<string, RenderedLab> = Object.fromEntries(Object.entries(variants).map(([name, input]) => [name, renderLab(topologyFor(input), stats)]));
const seed = labs["seed defaults"];
const hostOf = (lab: RenderedLab, name: string): RenderedLab["hosts"][number] => {
  const found = lab.hosts.find((host) => host.host.name === name);
  if (!found) throw new Error(`no host ${name}`);
  return found;
};

describe("renderLab", () => {
  it("renders one user-data per host, frontend first, as the topology lists them", () => {
    expect(seed.hosts.map((host) => [host.host.name, host.host.role])).toEqual([
      ["haproxy", "frontend"],
      ["backend1", "web"],
      ["backend2", "web"],
      ["backend3", "static"],
    ]);
    expect(seed.haproxyCfg).toBe(renderHaproxyConfig(seed.haproxy));
  });

  it.each(Object.keys(variants))("%s: every host's user-data is within EC2's 16 KiB", (variant) => {
    for (const host of labs[variant].hosts) expect(Buffer.byteLength(host.userData), host.host.name).toBeLessThanOrEqual(EC2_USER_DATA_LIMIT);
  });

  it("every host's user-data of every variant passes the real cloud-init schema", async () => {
    const texts: Record<string, string> = {};
    for (const [variant, lab] of Object.entries(labs)) for (const host of lab.hosts) texts[`${variant} / ${host.host.name}`] = host.userData;
    const results = await cloudInitSchemaAll(texts);
    const invalid = Object.entries(results).filter(([, result]) => !result.valid).map(([name, result]) => `${name}: ${result.output}`);
    expect(invalid).toEqual([]);
    expect(Object.keys(results)).toHaveLength(Object.values(labs).reduce((sum, lab) => sum + lab.hosts.length, 0));
  });

  it.each(Object.keys(variants))("%s: the frontend's user-data carries renderHaproxyConfig of the plan, verbatim, and haproxy -c accepts it", async (variant) => {
    const lab = labs[variant];
    const expected = renderHaproxyConfig(labHaproxyConfig(lab.topology, stats));
    expect(lab.haproxyCfg).toBe(expected);
    // Decoded by cloud-init's own code, not ours.
    const view = await cloudInitView(hostOf(lab, "haproxy").userData);
    const staged = view.files.find((file) => file.path === LAB_PATHS.haproxyStaged);
    expect(staged?.content.toString("utf8")).toBe(expected);
    const check = await haproxyCheck(expected);
    expect(check.output).not.toMatch(/ALERT/);
    expect(check.ok).toBe(true);
  });

  it("changes only the frontend's user-data when only HAProxy settings change", () => {
    const other = labs["insert cookies"];
    for (const name of ["backend1", "backend2", "backend3"]) expect(hostOf(other, name).userData).toBe(hostOf(seed, name).userData);
    expect(hostOf(other, "haproxy").userData).not.toBe(hostOf(seed, "haproxy").userData);
  });

  it("records the measured sizes (test/artifacts/user-data-sizes.json)", async () => {
    const sizes = Object.fromEntries(Object.entries(labs).map(([variant, lab]) => [variant, Object.fromEntries(lab.hosts.map((host) => [host.host.name, Buffer.byteLength(host.userData)]))]));
    const file = join(__dirname, "..", "artifacts", "user-data-sizes.json");
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(sizes, null, 2)}\n`);
    expect(sizes["seed defaults"].haproxy).toBeGreaterThan(1000);
  });
});

describe("the seed's user-data, golden (UPDATE_GOLDEN=1 rewrites)", () => {
  it.each(seed.hosts.map((host) => [host.host.name, host.userData] as const))("%s", (name, userData) => {
    expectGolden(`user-data/${name}.yaml`, userData);
  });

  it("keeps text files readable: only the images are base64", () => {
    const encoded = seed.hosts.flatMap((host) => (parseUserData(host.userData).write_files ?? []).filter((file) => file.encoding !== undefined).map((file) => `${file.path} ${file.encoding}`));
    expect(encoded).toEqual(["/var/www/html/logo-med.png b64", "/var/www/html/logo-med.gif b64"]);
  });
});

describe("write_files applied to a temp root (what the local lab serves)", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "lab-roles-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const repoFile = (field: keyof typeof LAB_CONTENT_FILES): Promise<Buffer> => readFile(join(LAB_CONTENT_DIR, LAB_CONTENT_FILES[field]));
  const modeOf = async (path: string): Promise<string> => ((await stat(path)).mode & 0o7777).toString(8).padStart(4, "0");

  it.each([
    ["haproxy", [[LAB_PATHS.haproxyStaged, "0640"], [LAB_PATHS.applyScript, "0755"]]],
    ["backend1", [["/var/www/html/prueba.php", "0644"], ["/var/www/html/sesiones.php", "0644"], ["/var/www/html/index.html", "0644"], ["/var/www/html/static.html", "0644"], [LAB_PATHS.apacheConf, "0644"]]],
    ["backend3", [["/var/www/html/index.html", "0644"], ["/var/www/html/static.html", "0644"], ["/var/www/html/logo-med.png", "0644"], ["/var/www/html/logo-med.gif", "0644"], [LAB_PATHS.apacheConf, "0644"]]],
  ] as const)("%s: writes exactly its files, with their modes", async (name, expected) => {
    const hostRoot = join(root, name);
    const written = await applyWriteFiles(parseUserData(hostOf(seed, name).userData), hostRoot);
    expect(written).toEqual(expected.map(([path]) => join(hostRoot, path)));
    for (const [path, mode] of expected) expect(await modeOf(join(hostRoot, path)), path).toBe(mode);
  });

  it("the frontend gets the rendered haproxy.cfg and the repo's apply script, byte for byte; the script accepts the config with the real haproxy -c", async () => {
    const hostRoot = join(root, "haproxy");
    expect(await readFile(join(hostRoot, LAB_PATHS.haproxyStaged), "utf8")).toBe(seed.haproxyCfg);
    expect((await readFile(join(hostRoot, LAB_PATHS.applyScript))).equals(await repoFile("applyScript"))).toBe(true);
    expect((await readFile(APPLY_SCRIPT_PATH)).equals(await repoFile("applyScript"))).toBe(true);
    const result = await run("bash", [join(hostRoot, LAB_PATHS.applyScript), "--staged", join(hostRoot, LAB_PATHS.haproxyStaged), "--check-only"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("a web backend gets the repo's PHP files byte for byte and pages naming it", async () => {
    const hostRoot = join(root, "backend1");
    expect((await readFile(join(hostRoot, "var/www/html/prueba.php"))).equals(await repoFile("pruebaPhp"))).toBe(true);
    expect((await readFile(join(hostRoot, "var/www/html/sesiones.php"))).equals(await repoFile("sesionesPhp"))).toBe(true);
    expect(await readFile(join(hostRoot, "var/www/html/static.html"), "utf8")).toContain("<h3>Servidor backend1</h3>");
    expect(await readFile(join(hostRoot, LAB_PATHS.apacheConf), "utf8")).toContain('Header always set X-Lab-Host "backend1"');
  });

  it("the static backend gets the repo's images byte for byte", async () => {
    const hostRoot = join(root, "backend3");
    expect((await readFile(join(hostRoot, "var/www/html/logo-med.png"))).equals(await repoFile("logoPng"))).toBe(true);
    expect((await readFile(join(hostRoot, "var/www/html/logo-med.gif"))).equals(await repoFile("logoGif"))).toBe(true);
  });
});
