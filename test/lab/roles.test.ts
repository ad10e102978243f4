/** The three host roles as data (pure: no tools needed). */
import { describe, expect, it } from "vitest";
import type { CloudConfig, WriteFile } from "../../components/cloud-init";
import { loadLabContent } from "../../components/lab/content";
import {
  fillTemplate,
  frontendCloudConfig,
  hostCloudConfig,
  LAB_PATHS,
  staticCloudConfig,
  webCloudConfig,
} from "../../components/lab/roles";
import { planLabTopology } from "../../components/lab/topology";
import { resolveLabSettings } from "../../components/lab/settings";
import type { LabSettingsInput, LabTopology } from "../../components/lab/types";

function topologyFor(input: LabSettingsInput = {}): LabTopology {
  const { settings, problems } = resolveLabSettings(input);
  if (!settings) throw new Error(JSON.stringify(problems));
  return planLabTopology(settings);
}

const content = loadLabContent();
const topology = topologyFor();
// The roles take haproxy.cfg as text; its rendering is tested with renderLab.
const haproxyCfg = "global\n\tmaxconn 4096\n";
const [backend1, backend2] = topology.webServers;
const [backend3] = topology.staticServers;

function file(config: CloudConfig, path: string): WriteFile {
  const found = config.write_files?.find((entry) => entry.path === path);
  if (!found) throw new Error(`${path} not written; have ${config.write_files?.map((entry) => entry.path).join(", ")}`);
  return found;
}

const text = (entry: WriteFile): string => {
  if (typeof entry.content !== "string") throw new Error(`${entry.path} is binary`);
  return entry.content;
};

describe("every role", () => {
  it.each(topology.hosts.map((host) => [host.name, host] as const))("%s: names the VM after the seed's host, installs packages, defers every file until they are installed", (name, host) => {
    const config = hostCloudConfig(topology, host, haproxyCfg, content);
    expect(config.hostname).toBe(name);
    expect(config.manage_etc_hosts).toBe(true);
    expect(config.package_update).toBe(true);
    expect(config.package_upgrade).toBe(false);
    expect(config.write_files?.length).toBeGreaterThan(0);
    for (const entry of config.write_files ?? []) expect(entry.defer, entry.path).toBe(true);
    expect(config.final_message).toContain(`${name} (${host.role}) is ready after $UPTIME seconds`);
  });

  it("adds the stack's SSH keys when given, and none otherwise", () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE8l lab";
    expect(hostCloudConfig(topology, backend1, haproxyCfg, content, { sshAuthorizedKeys: [key] }).ssh_authorized_keys).toEqual([key]);
    expect(hostCloudConfig(topology, backend1, haproxyCfg, content).ssh_authorized_keys).toBeUndefined();
  });

  it("refuses a host given to the wrong role", () => {
    expect(() => webCloudConfig(topology, backend3, content)).toThrow(/backend3 has role static, not web/);
    expect(() => frontendCloudConfig(topology, backend1, haproxyCfg, content)).toThrow(/role web, not frontend/);
  });
});

describe("the frontend", () => {
  const config = frontendCloudConfig(topology, topology.frontend, haproxyCfg, content);

  it("installs haproxy only", () => {
    expect(config.packages).toEqual(["haproxy"]);
  });

  it("stages haproxy.cfg (readable by group haproxy only) instead of writing the live file", () => {
    const staged = file(config, LAB_PATHS.haproxyStaged);
    expect(staged.content).toBe(haproxyCfg);
    expect([staged.permissions, staged.owner]).toEqual(["0640", "root:haproxy"]);
    expect(config.write_files?.some((entry) => entry.path === LAB_PATHS.haproxyConfig)).toBe(false);
  });

  it("installs the repo's haproxy-apply.sh as an executable", () => {
    const script = file(config, LAB_PATHS.applyScript);
    expect(script.content).toBe(content.applyScript);
    expect(script.permissions).toBe("0755");
  });

  it("ends runcmd with check-install-reload, so its exit status is cloud-init's", () => {
    expect(config.runcmd?.at(-1)).toEqual([LAB_PATHS.applyScript, "--staged", LAB_PATHS.haproxyStaged, "--target", LAB_PATHS.haproxyConfig, "--reload", "systemd"]);
  });
});

describe("a web backend", () => {
  const config = webCloudConfig(topology, backend1, content);
  const docs = (name: string): WriteFile => file(config, `${LAB_PATHS.documentRoot}/${name}`);

  it("installs Apache with mod_php", () => {
    expect(config.packages).toEqual(["apache2", "libapache2-mod-php"]);
  });

  it("serves the seed's PHP probes as they are in the repo", () => {
    expect(docs("prueba.php").content).toBe(content.pruebaPhp);
    expect(docs("sesiones.php").content).toBe(content.sesionesPhp);
  });

  it("serves index.html and static.html naming the host and embedding logo-med.png, as in the seed", () => {
    for (const name of ["index.html", "static.html"]) {
      expect(text(docs(name))).toContain("<h3>Servidor backend1</h3>");
      expect(text(docs(name))).toContain('<img src="logo-med.png"');
      expect(text(docs(name))).not.toContain("{{");
    }
    expect(text(docs("static.html"))).toContain("<h1>Pagina Estatica</h1>");
    expect(text(webCloudConfig(topology, backend2, content).write_files?.find((entry) => entry.path.endsWith("static.html")) as WriteFile)).toContain("Servidor backend2");
  });

  it("names itself in every response (X-Lab-Host) and to PHP (LAB_HOST_NAME)", () => {
    const conf = text(file(config, LAB_PATHS.apacheConf));
    expect(conf).toContain('Header always set X-Lab-Host "backend1"\n');
    expect(conf).toContain("SetEnv LAB_HOST_NAME backend1\n");
    expect(conf).toContain("ServerName backend1\n");
  });

  it("enables mod_headers and the snippet, and restarts Apache last", () => {
    expect(config.runcmd).toEqual([
      ["a2enmod", "-q", "headers"],
      ["a2enconf", "-q", "haproxy-lab"],
      ["systemctl", "restart", "apache2"],
    ]);
  });
});

describe("the static backend", () => {
  const config = staticCloudConfig(topology, backend3, content);

  it("installs Apache without PHP and ships no PHP file", () => {
    expect(config.packages).toEqual(["apache2"]);
    expect(config.write_files?.filter((entry) => entry.path.endsWith(".php"))).toEqual([]);
  });

  it("serves the logo as PNG and GIF, byte for byte", () => {
    expect(file(config, "/var/www/html/logo-med.png").content).toEqual(content.logoPng);
    expect(file(config, "/var/www/html/logo-med.gif").content).toEqual(content.logoGif);
  });

  it("names itself in its pages and in every response, images included", () => {
    expect(text(file(config, "/var/www/html/index.html"))).toContain("Servidor backend3");
    expect(text(file(config, "/var/www/html/index.html"))).toContain("sin PHP");
    expect(text(file(config, LAB_PATHS.apacheConf))).toContain('Header always set X-Lab-Host "backend3"');
  });
});

describe("fillTemplate", () => {
  it("fills every placeholder", () => {
    expect(fillTemplate("{{HOST}} and {{HOST}} as {{ROLE}}", { HOST: "b1", ROLE: "web" })).toBe("b1 and b1 as web");
  });

  it("refuses a placeholder it has no value for, rather than shipping it", () => {
    expect(() => fillTemplate("{{HOTS}}", { HOST: "b1" })).toThrow(/\{\{HOTS\}\} has no value/);
  });
});

describe("variants", () => {
  it("gives every web backend of a 3-backend lab its own pages and header", () => {
    const three = topologyFor({ webServers: [{ name: "backend1", weight: 60 }, { name: "backend2", weight: 45 }, { name: "backend4", weight: 30 }] });
    const names = three.webServers.map((host) => text(file(webCloudConfig(three, host, content), LAB_PATHS.apacheConf)).match(/X-Lab-Host "([^"]+)"/)?.[1]);
    expect(names).toEqual(["backend1", "backend2", "backend4"]);
  });
});
