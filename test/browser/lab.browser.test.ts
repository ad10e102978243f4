/**
 * The seed's exercises as a student does them, in a real browser: Debian's Chromium, headless,
 * driven by playwright-core (never a downloaded browser).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findHost, stopHostProcess, startHostProcess } from "../../scripts/lib/local-lab/lab";
import { ROOT } from "../helpers/plan";
import { startTestLab, stopTestLab, type TestLab } from "../helpers/local-lab";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(ROOT, "test", "artifacts");

describe("the lab in a browser", () => {
  let lab: TestLab | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); bash .ci/run does`);
    mkdirSync(ARTIFACTS, { recursive: true });
    lab = await startTestLab("127.0.14", ['healthCheck={"inter":"1s","fall":2,"rise":2}']);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    expect(await stopTestLab(lab)).toEqual([]);
  }, 60_000);

  it("reloading sesiones.php five times counts visits on one server (F5 in the seed)", async () => {
    const page = await browser!.newPage();
    const servers = new Set<string>();
    const counts: number[] = [];
    for (let visit = 0; visit < 6; visit++) {
      const response = visit === 0 ? await page.goto(lab!.state.urls.sesiones) : await page.reload();
      servers.add(response!.headers()["x-lab-host"]);
      const text = await page.locator("body").innerText();
      counts.push(visit === 0 ? (text.includes("primera vez") ? 0 : -1) : Number(/El numero de visitas es : (\d+)/.exec(text)?.[1] ?? -1));
    }
    await page.screenshot({ path: join(ARTIFACTS, "sesiones.png") });
    expect(counts).toEqual([0, 1, 2, 3, 4, 5]);
    expect(servers.size).toBe(1);
    await page.close();
  }, 60_000);

  it("the stats page asks for credentials, then shows a stopped backend DOWN", async () => {
    // Without credentials Chromium gets HAProxy's 401 (headless, it cannot show the login dialog).
    const anonymous = await browser!.newContext();
    const denied = await anonymous.request.get(lab!.state.urls.stats);
    expect(denied.status()).toBe(401);
    expect(denied.headers()["www-authenticate"]).toMatch(/Basic realm="HAProxy Statistics"/);
    await anonymous.close();

    const context = await browser!.newContext({ httpCredentials: { username: lab!.state.statsUser, password: lab!.state.statsPassword } });
    const page = await context.newPage();
    expect((await page.goto(lab!.state.urls.stats))!.status()).toBe(200);
    await expect.poll(async () => page.locator("tr", { hasText: "backend1" }).first().innerText(), { timeout: 10_000 }).toMatch(/UP/);

    const backend1 = findHost(lab!.state, "backend1");
    await stopHostProcess(backend1);
    try {
      await expect
        .poll(async () => {
          await page.reload();
          return page.locator("tr", { hasText: "backend1" }).first().innerText();
        }, { timeout: 15_000, interval: 500 })
        .toMatch(/DOWN/);
      await page.screenshot({ path: join(ARTIFACTS, "stats-backend1-down.png"), fullPage: true });
    } finally {
      await startHostProcess(backend1);
    }
    await context.close();
  }, 60_000);
});
