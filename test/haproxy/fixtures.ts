/** Models shared by the HAProxy suites. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha512Crypt, type HaproxyConfig } from "../../components/haproxy";

export const STATS_HASH = sha512Crypt("Venezuela21", "fixturesalt");

/**
 * One model that uses every section and directive the model has, with values that need quoting
 * (blanks, quotes, `#`, `$`, `%%`). Valid, and accepted by the real haproxy when `certFile`
 * is a real PEM (certificate and key) and `caFile` a real CA bundle.
 */
export function kitchenSinkConfig(certFile = "/etc/haproxy/certs/lab.pem", caFile = "/etc/ssl/certs/ca-certificates.crt"): HaproxyConfig {
  return {
    global: {
      log: [
        { target: "/dev/log", facility: "local0" },
        { target: "127.0.0.1:514", facility: "local1", level: "notice", minLevel: "emerg" },
      ],
      maxconn: 4096,
      chroot: "/var/lib/haproxy",
      user: "haproxy",
      group: "haproxy",
      daemon: true,
      masterWorker: true,
      nbthread: 2,
      hardStopAfter: "60s",
      pidfile: "/run/haproxy.pid",
      statsSockets: [{ path: "/run/haproxy/admin.sock", mode: "660", level: "admin", exposeFdListeners: true }],
      caBase: "/etc/ssl/certs",
      crtBase: "/etc/ssl/private",
      sslDefaultBindCiphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
      sslDefaultBindCiphersuites: "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384",
      sslDefaultBindOptions: ["ssl-min-ver TLSv1.2", "no-tls-tickets"],
      sslDefaultServerCiphers: "ECDHE-RSA-AES128-GCM-SHA256",
      sslDefaultServerOptions: ["no-sslv3"],
    },
    defaults: [
      {
        mode: "http",
        log: "global",
        maxconn: 2000,
        option: { httplog: true, dontlognull: true, redispatch: { interval: 1 }, abortonclose: true },
        connectionMode: "http-keep-alive",
        retries: 3,
        retryOn: ["conn-failure", "empty-response", "503"],
        httpReuse: "safe",
        timeout: { connect: "5s", client: "50s", server: "50s", "http-request": "10s", "http-keep-alive": "30s", queue: "30s", check: "2s", tunnel: "1h", "client-fin": "1s", "server-fin": "1s" },
        errorfiles: [{ status: 503, file: "/etc/haproxy/errors/503.http" }],
        defaultServer: { check: true, inter: "1s", fastinter: "500ms", downinter: "5s", rise: 2, fall: 2 },
      },
    ],
    userlists: [
      {
        name: "stats_users",
        groups: ["admins", "readers"],
        users: [
          { name: "admin", password: { hashed: STATS_HASH }, groups: ["admins", "readers"] },
          { name: "viewer", password: { insecure: "view only #1 $x" }, groups: ["readers"] },
        ],
      },
    ],
    frontends: [
      {
        name: "haproxy",
        logFormat: '%ci:%cp [%tr] %ft %b/%s %ST %B %{+Q}r "%[ssl_fc_sni]" 100%%',
        maxconn: 1000,
        option: { forwardfor: { except: "127.0.0.0/8", header: "X-Client-IP", ifNone: true }, "http-buffer-request": true, "idle-close-on-response": true },
        binds: [
          { address: "192.168.1.20", port: 80, name: "http", maxconn: 500, deferAccept: true },
          { address: "::", port: 8080, v4v6: true },
          { port: 443, name: "https", ssl: { crt: certFile, alpn: ["h2", "http/1.1"] } },
        ],
        acls: [
          { name: "url_static", criterion: { fetch: "path_end" }, ignoreCase: true, values: [".gif", ".png", ".jpg"] },
          { name: "is_api", criterion: { fetch: "path_beg" }, values: ["/api/"] },
          { name: "host_lab", criterion: { fetch: "hdr_end", header: "host" }, ignoreCase: true, values: [".lab.example"] },
          { name: "lan", criterion: { fetch: "src" }, values: ["10.0.0.0/8", "192.168.0.0/16", "fd00::/8"] },
          { name: "post", criterion: { fetch: "method" }, values: ["POST", "PUT"] },
          { name: "debug", criterion: { fetch: "url_param", param: "debug" }, match: "found", values: [] },
          { name: "dash", criterion: { fetch: "path_sub" }, values: ["-old-", "#frag", "a b"] },
          { name: "few_web", criterion: { fetch: "nbsrv", backend: "servidores" }, values: ["lt", "1"] },
          { name: "authed", criterion: { fetch: "http_auth", userlist: "stats_users" }, values: [] },
          { name: "admins", criterion: { fetch: "http_auth_group", userlist: "stats_users" }, values: ["admins"] },
          { name: "tls", criterion: { fetch: "ssl_fc" }, values: [] },
          { name: "legacy", criterion: { fetch: "path_reg" }, values: ["^/old/(.*)$"] },
          { name: "port_alt", criterion: { fetch: "dst_port" }, values: ["8080"] },
        ],
        stats: {
          enable: true,
          uri: "/stats",
          realm: "HAProxy Statistics",
          auth: { kind: "userlist", userlist: "stats_users" },
          refresh: "5s",
          admin: { op: "if", terms: [{ acl: "lan" }, { acl: "admins" }] },
          hideVersion: true,
          showLegends: true,
        },
        httpRequest: [
          { action: "set-header", name: "X-Forwarded-Proto", value: "https", condition: { op: "if", terms: [{ acl: "tls" }] } },
          { action: "add-header", name: "X-Lab", value: 'say "hi" from %[src] #1 $HOME \\o/' },
          { action: "del-header", name: "X-Debug", condition: { op: "unless", terms: [{ acl: "lan" }] } },
          { action: "deny", denyStatus: 403, condition: { op: "if", terms: [{ acl: "is_api" }, { acl: "host_lab", negate: true }, { acl: "debug", join: "or" }] } },
          { action: "redirect", type: "prefix", target: "/new", code: 301, condition: { op: "if", terms: [{ acl: "legacy" }] } },
          { action: "redirect", type: "scheme", target: "https", code: 302, condition: { op: "if", terms: [{ acl: "tls", negate: true }, { acl: "post", negate: true }] } },
          { action: "redirect", type: "location", target: "https://lab.example/moved?from=%[path]", condition: { op: "if", terms: [{ acl: "port_alt" }] } },
          { action: "return", status: 200, contentType: "text/plain; charset=utf-8", body: "it's \"ok\" #", condition: { op: "if", terms: [{ acl: "dash" }] } },
          { action: "return", status: 204, condition: { op: "if", terms: [{ acl: "few_web" }] } },
          { action: "auth", realm: "Lab API", condition: { op: "if", terms: [{ acl: "is_api" }, { acl: "authed", negate: true }] } },
        ],
        httpResponse: [
          { action: "set-header", name: "X-Frame-Options", value: "DENY" },
          { action: "add-header", name: "X-Served-By", value: "%[be_name]/%[srv_name]" },
          { action: "del-header", name: "Server" },
        ],
        useBackends: [
          { backend: "servidorestaticos", condition: { op: "if", terms: [{ acl: "url_static" }] } },
          { backend: "api", condition: { op: "if", terms: [{ acl: "is_api" }] } },
        ],
        defaultBackend: "servidores",
      },
      {
        name: "mysql_in",
        mode: "tcp",
        log: [{ target: "/dev/log", facility: "local2", level: "info" }],
        option: { tcplog: true },
        timeout: { client: "1h" },
        binds: [{ address: "127.0.0.1", port: 3306, acceptProxy: true }],
        acls: [{ name: "lan", criterion: { fetch: "src" }, values: ["10.0.0.0/8"] }],
        useBackends: [{ backend: "mysql", condition: { op: "if", terms: [{ acl: "lan" }] } }],
        defaultBackend: "mysql",
      },
    ],
    backends: [
      {
        name: "servidores",
        connectionMode: "http-server-close",
        option: { forwardfor: true, httpchk: { method: "HEAD", uri: "/index.html", version: "HTTP/1.1", host: "localhost" } },
        timeout: { "http-keep-alive": "3s" },
        balance: { algorithm: "roundrobin" },
        cookie: { name: "SERVERID", mode: "insert", indirect: true, nocache: true, postonly: true, preserve: true, httponly: true, secure: true, domain: [".lab.example", "lab.example"], maxidle: "30m", maxlife: "8h" },
        httpCheckExpect: { match: "status", value: "200-399" },
        defaultServer: { check: true, inter: "2s", rise: 3, fall: 2, maxconn: 100 },
        httpResponse: [{ action: "set-header", name: "Cache-Control", value: "no-cache" }],
        servers: [
          { name: "backend1", address: "192.168.1.21", port: 80, weight: 60, cookie: "A", source: "192.168.1.20" },
          { name: "backend2", address: "192.168.1.22", port: 80, weight: 45, cookie: "B", source: "192.168.1.20", sendProxy: "v2" },
          { name: "backend6", address: "fd00::26", port: 80, weight: 0, cookie: "C", source: "fd00::20", disabled: true },
          { name: "sorry", address: "127.0.0.1", port: 8081, cookie: "Z", backup: true, check: false },
        ],
      },
      {
        name: "servidorestaticos",
        balance: { algorithm: "uri", whole: true, len: 64, depth: 3 },
        option: { httpchk: {} },
        httpCheckExpect: { match: "rstring", pattern: "^<html>.*lab", negate: false },
        servers: [{ name: "static", address: "192.168.1.23", port: 80, weight: 50, check: true }],
      },
      {
        name: "api",
        balance: { algorithm: "url_param", param: "user", checkPost: 64 },
        cookie: { name: "JSESSIONID", mode: "rewrite" },
        httpCheckExpect: { match: "string", pattern: "it's up #1", negate: true },
        option: { httpchk: { method: "GET", uri: "/health?full=1", version: "HTTP/1.0" } },
        acls: [{ name: "write", criterion: { fetch: "method" }, values: ["POST"] }],
        httpRequest: [{ action: "set-header", name: "X-Write", value: "1", condition: { op: "if", terms: [{ acl: "write" }] } }],
        servers: [
          { name: "api1", address: "127.0.0.1", port: 9001, cookie: "a1", ssl: { verify: "none", sni: "api.lab.example" } },
          { name: "api2", address: "localhost", port: 9002, cookie: "a2", ssl: { verify: "required", caFile, sni: "api.lab.example" } },
        ],
      },
      { name: "by_host", balance: { algorithm: "hdr", header: "host", useDomainOnly: true }, servers: [{ name: "h1", address: "127.0.0.1", port: 9010 }] },
      { name: "rand", balance: { algorithm: "random", draws: 2 }, servers: [{ name: "r1", address: "127.0.0.1", port: 9011 }] },
      { name: "rdp", mode: "tcp", balance: { algorithm: "rdp-cookie", name: "mstshash" }, servers: [{ name: "rdp1", address: "127.0.0.1", port: 3389 }] },
      { name: "mysql", mode: "tcp", balance: { algorithm: "leastconn" }, retries: 2, servers: [{ name: "db1", address: "127.0.0.1", port: 3307, sendProxy: "v1" }] },
    ],
    listens: [
      {
        name: "stats_only",
        mode: "http",
        binds: [{ address: "127.0.0.1", port: 8404, transparent: false, tfo: true }],
        stats: { enable: true, uri: "/", realm: "Local stats", auth: { kind: "inline", credentials: [{ user: "admin", password: 'pa ss"#$word' }, { user: "ops", password: "ops:with:colons" }] } },
        balance: { algorithm: "first" },
        servers: [{ name: "noop", address: "127.0.0.1", port: 9999, maxconn: 10 }],
      },
    ],
  };
}

/** A throwaway self-signed certificate + key in one PEM, for `bind … ssl crt` under `haproxy -c`. */
export function makeTestCertificate(): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "haproxy-cert-"));
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=lab.example", "-days", "2", "-keyout", key, "-out", cert], { stdio: "pipe", timeout: 30_000 });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl could not make a test certificate (apt-get install -y openssl): ${(error as Error).message}`);
  }
  const file = join(dir, "lab.pem");
  writeFileSync(file, readFileSync(cert, "utf8") + readFileSync(key, "utf8"));
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
