/**
 * The seed's lab as a HAProxy model: one frontend, a web backend (`servidores`) and a static
 * backend (`servidorestaticos`), a static-files ACL and a stats page, in HAProxy 2.4+ syntax.
 */
import type { Duration, HttpConnectionMode, UserPassword } from "./model";

export interface SeedServerOption {
  readonly name: string;
  readonly address: string;
  readonly port?: number;
  readonly weight?: number;
  /** Persistence cookie value; defaults to A, B, C … in order. */
  readonly cookie?: string;
}

export interface SeedLabOptions {
  /** The frontend host's address: `bind <address>:<port>` and `source <address>` on servers. Default 192.168.1.20. */
  readonly frontendAddress?: string;
  /** Port of the frontend and of the backends. Default 80. */
  readonly port?: number;
  /** Default: backend1 192.168.1.21 weight 60 cookie A, backend2 192.168.1.22 weight 45 cookie B. */
  readonly webServers?: readonly SeedServerOption[];
  /** Default: `static` at 192.168.1.23 weight 50. */
  readonly staticServers?: readonly SeedServerOption[];
  /** Default [".gif", ".png"] (the seed lists .png twice). */
  readonly staticExtensions?: readonly string[];
  readonly balance?: "roundrobin" | "static-rr" | "leastconn" | "first" | "source" | "random";
  /** Default "prefix" on PHPSESSID as in the seed; "insert" inserts SERVERID; "none" disables persistence. */
  readonly cookieMode?: "prefix" | "insert" | "none";
  /** Default "httpclose" as in the seed; its keep-alive exercise uses "http-server-close" with timeout http-keep-alive 3s. */
  readonly keepAlive?: HttpConnectionMode;
  readonly keepAliveTimeout?: Duration;
  /** Default: check inter 10s (the seed), rise 2, fall 3, no httpchk (the seed has it commented out). */
  readonly healthCheck?: { readonly inter?: Duration; readonly rise?: number; readonly fall?: number; readonly path?: string };
  /** Stats page credentials. A hashed password renders a userlist; an insecure one renders `stats auth` (the seed). */
  readonly stats?: { readonly user: string; readonly password: UserPassword; readonly uri?: string; readonly realm?: string };
  /** "seed" (default here): the tutorial's behaviour. "tuned": keep-alive, reuse, redispatch 1, retry-on, fast checks. */
  readonly profile?: "seed" | "tuned";
  /** global maxconn; default 4096 as in the seed. */
  readonly maxconn?: number;
}
