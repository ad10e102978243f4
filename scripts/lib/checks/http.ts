/** A tiny HTTP client for the checks: one request, bounded in time, with what a student would see. */
import { Agent, request } from "node:http";

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** Whether the request went over a connection an earlier request had opened. */
  readonly reusedSocket: boolean;
  /** The client's own address on that connection (what X-Forwarded-For should show). */
  readonly localAddress: string;
}

export interface HttpOptions {
  readonly agent?: Agent;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: "GET" | "HEAD";
  readonly timeoutMs?: number;
  readonly auth?: { readonly user: string; readonly password: string };
}

export function httpGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "user-agent": "haproxy-lab-checks", ...(options.headers ?? {}) };
    if (options.auth) headers.authorization = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString("base64")}`;
    const req = request(url, { method: options.method ?? "GET", headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          reusedSocket: req.reusedSocket,
          localAddress: req.socket?.localAddress ?? "",
        }),
      );
      res.on("error", reject);
    });
    req.setTimeout(options.timeoutMs ?? 5000, () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 5000} ms`)));
    // Node's documented keep-alive race: a request sent on a reused idle connection that the
    // server closed at the same moment fails; callers may retry it (idempotent GETs) on a new one.
    req.on("error", (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
    req.end();
  });
}

/** Like httpGet, but a network error becomes status 0 (a failed request to count, not a crash). */
export async function tryGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  try {
    return await httpGet(url, options);
  } catch (error) {
    return { status: 0, headers: {}, body: String((error as Error).message), reusedSocket: (error as { reusedSocket?: boolean }).reusedSocket === true, localAddress: "" };
  }
}

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

export function setCookies(response: HttpResponse): string[] {
  const value = response.headers["set-cookie"];
  return Array.isArray(value) ? value : value ? [value] : [];
}
