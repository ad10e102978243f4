/**
 * nginx as the benchmarks' peer, configured from the same lab plan as HAProxy (pure text): the
 * same weighted web backends, the same static routing by extension, upstream keep-alive and
 * X-Forwarded-For. Its upstreams are the local lab's own apache2 instances.
 */

export interface NginxUpstream {
  readonly address: string;
  readonly port: number;
  readonly weight: number;
}

export interface NginxOptions {
  readonly listenAddress: string;
  readonly port: number;
  readonly web: readonly NginxUpstream[];
  readonly static: readonly NginxUpstream[];
  readonly staticExtensions: readonly string[];
  readonly runDir: string;
  /** Same as HAProxy's threads, for a fair comparison. */
  readonly workers: number;
  readonly workerConnections: number;
}

function upstream(name: string, servers: readonly NginxUpstream[]): string {
  // nginx refuses weight 0: a drained server is simply left out.
  const lines = servers.filter((s) => s.weight > 0).map((s) => `    server ${s.address}:${s.port} weight=${s.weight};`);
  return `  upstream ${name} {\n${lines.join("\n")}\n    keepalive 64;\n  }`;
}

export function nginxConfig(options: NginxOptions): string {
  const extensions = options.staticExtensions.map((e) => e.replace(/^\./, "").replace(/[^A-Za-z0-9]/g, "")).join("|");
  const proxy = (name: string) => [
    `      proxy_pass http://${name};`,
    "      proxy_http_version 1.1;",
    '      proxy_set_header Connection "";',
    "      proxy_set_header Host $host;",
    "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "      proxy_buffering on;",
  ].join("\n");
  return `# nginx peer for npm run bench (generated from the lab plan)
worker_processes ${options.workers};
pid ${options.runDir}/nginx.pid;
error_log ${options.runDir}/error.log warn;
worker_rlimit_nofile ${options.workerConnections * 2 + 100};
events {
  worker_connections ${options.workerConnections};
}
http {
  access_log off;
  client_body_temp_path ${options.runDir}/body;
  proxy_temp_path ${options.runDir}/proxy;
  fastcgi_temp_path ${options.runDir}/fastcgi;
  uwsgi_temp_path ${options.runDir}/uwsgi;
  scgi_temp_path ${options.runDir}/scgi;
  keepalive_requests 100000;
  keepalive_timeout 30s;
${upstream("servidores", options.web)}
${upstream("servidorestaticos", options.static)}
  server {
    listen ${options.listenAddress}:${options.port};
    location ~* \\.(${extensions})$ {
${proxy("servidorestaticos")}
    }
    location / {
${proxy("servidores")}
    }
  }
}
`;
}
