// Times the country overview in headless Chromium: from navigation to the first key indicator's
// figure on screen, and counts the GraphQL operations the page asked for until then and in all.
//   node web/e2e/first-render.mjs <gateway URL> <token> <runs>
// Used by benchmarks/dashboard.py; prints one JSON line.
import { chromium } from "playwright-core";

const [base, token, runs = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
for (let run = 0; run < Number(runs); run += 1) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1"
    ? route.continue() : route.abort()));
  await context.addInitScript((value) => {
    sessionStorage.setItem("areagraph.session", JSON.stringify({ token: value, via: "dev", expiresAt: Date.now() + 3_600_000 }));
  }, token);
  const page = await context.newPage();
  const operations = [];
  const subscriptions = [];
  const answered = {};
  page.on("request", (request) => {
    if (request.url().endsWith("/graphql") && request.method() === "POST") {
      operations.push({ at: Date.now(), name: /query (\w+)/.exec(JSON.parse(request.postData()).query)?.[1] });
    }
  });
  page.on("requestfinished", (request) => {
    if (!request.url().endsWith("/graphql") || request.method() !== "POST") return;
    const name = /query (\w+)/.exec(JSON.parse(request.postData()).query)?.[1];
    const timing = request.timing();
    answered[name] ??= Math.round(timing.responseEnd - timing.requestStart);
  });
  page.on("websocket", (socket) => socket.on("framesent", (frame) => {
    const message = JSON.parse(String(frame.payload));
    if (message.type === "subscribe") subscriptions.push(/subscription (\w+)/.exec(message.payload.query)?.[1]);
  }));
  const started = Date.now();
  await page.goto(`${base}/dashboard/`);
  await page.waitForSelector('[data-testid="overview"] [data-testid="kpi-value"]', { timeout: 120_000 });
  const rendered = Date.now();
  const beforeRender = operations.filter((o) => o.at <= rendered).map((o) => o.name);
  // The trend's history and the live subscriptions follow; let them finish so runs do not overlap.
  await page.waitForFunction(() => document.querySelectorAll("#trend canvas").length > 0, null, { timeout: 120_000 });
  while (answered.DashboardHistory === undefined) await page.waitForTimeout(200);
  await page.waitForTimeout(500);
  results.push({ renderMs: rendered - started, beforeRender, answered, all: operations.map((o) => o.name), subscriptions });
  await context.close();
}
await browser.close();
console.log(JSON.stringify(results));
