// The dashboard in headless Chromium against a running gateway, one scenario per run, with every
// request to another host refused. Driven by tests/web/test_dashboard_browser.py:
//   node web/e2e/dashboard.mjs <scenario> <gateway URL> '<JSON arguments>'
// Prints one JSON line of findings; exits 1 with the reason when a check fails.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const [scenario, base, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? "{}");
const SHOTS = new URL("./screenshots/", import.meta.url);
mkdirSync(SHOTS, { recursive: true });
const LOCAL = new Set(["127.0.0.1", "localhost"]);
const WAIT = 30_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const refused = [];
const graphql = []; // every GraphQL answer the page received: operation name and error codes
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "th-TH",
                                           timezoneId: "Asia/Bangkok" });
await context.route("**/*", (route) => {
  const target = new URL(route.request().url());
  if (target.protocol === "data:" || LOCAL.has(target.hostname)) return route.continue();
  refused.push(target.href);
  return route.abort();
});
context.on("response", async (response) => {
  if (!response.url().endsWith("/graphql") || response.request().method() !== "POST") return;
  try {
    const sent = JSON.parse(response.request().postData() ?? "{}");
    const body = await response.json();
    graphql.push({ operation: /(?:query|subscription) (\w+)/.exec(sent.query ?? "")?.[1],
                   hash: sent.extensions?.persistedQuery?.sha256Hash,
                   codes: (body.errors ?? []).map((e) => e.extensions?.code) });
  } catch { /* a response without a body */ }
});

function fail(reason) {
  throw new Error(reason);
}

async function signIn(page, role, area = "", url = `${base}/dashboard/`) {
  await page.goto(url);
  await page.waitForSelector('[data-testid="dev-picker"]', { timeout: WAIT });
  await page.selectOption('select[name="role"]', role);
  await page.fill('input[name="area"]', area);
  await page.keyboard.press("Enter"); // the picker is a form: keyboard alone signs in
  await page.waitForSelector('[data-testid="who"]', { timeout: WAIT });
}

async function overviewShown(page) {
  await page.waitForSelector('[data-testid="overview"] [data-testid="kpi-value"]', { timeout: WAIT });
}

const scenarios = {
  async overview(page) {
    await signIn(page, "executive");
    if (args.path) await page.goto(`${base}${args.path}`);
    await overviewShown(page);
    const text = await page.innerText("main");
    for (const words of ["ภาพรวมประเทศ", "ตัวชี้วัดหลักเทียบเป้าหมาย", "ปีงบประมาณ 2569", "เกินกำหนดเวลา", "งบจัดสรร"]) {
      if (!text.includes(words)) fail(`the overview does not say "${words}"`);
    }
    const shown = await page.$$eval('[data-indicator]', (items) => Object.fromEntries(items.map(
      (li) => [li.dataset.indicator, li.querySelector('[data-testid="kpi-value"]')?.textContent])));
    const format = new Intl.NumberFormat("th-TH", { maximumFractionDigits: 2 });
    for (const [code, value] of Object.entries(args.expected ?? {})) {
      if (shown[code] !== format.format(value)) fail(`${code}: the page shows ${shown[code]}, the API says ${value}`);
    }
    const thaiFont = await page.evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check('16px "Sarabun"', "ภาษาไทย");
    });
    if (!thaiFont) fail("the Thai typeface did not load");
    await page.screenshot({ path: new URL("overview-th.png", SHOTS).pathname, fullPage: true });
    await page.click("a.lang");
    await page.waitForFunction(() => document.querySelector("main")?.innerText.includes("Key indicators against targets"), null, { timeout: WAIT });
    await page.screenshot({ path: new URL("overview-en.png", SHOTS).pathname, fullPage: true });
    return { shown, overdue: await page.innerText('[data-testid="overdue"]') };
  },

  async drilldown(page) {
    await signIn(page, "executive");
    await page.goto(`${base}/dashboard/areas/TH`);
    const levels = [];
    for (const code of args.path) {
      await page.waitForSelector(`[data-testid="ranking"] tr[data-code="${code}"] a`, { timeout: WAIT });
      await page.click(`[data-testid="ranking"] tr[data-code="${code}"] a`);
      await page.waitForSelector(`[data-testid="areas"][data-area="${code}"]`, { timeout: WAIT });
      levels.push(await page.getAttribute('[data-testid="areas"]', "data-level"));
    }
    const clickedUrl = page.url();
    await page.screenshot({ path: new URL("subdistrict.png", SHOTS).pathname, fullPage: true });
    const shared = await context.newPage(); // a new tab holds no session: sign in, stay on the URL
    await signIn(shared, "executive", "", clickedUrl);
    await shared.waitForSelector(`[data-testid="areas"][data-area="${args.path.at(-1)}"]`, { timeout: WAIT });
    const name = await shared.innerText('[data-testid="area-name"]');
    return { levels, url: new URL(clickedUrl).pathname, name };
  },

  async ranked(page) {
    await signIn(page, "executive");
    await page.goto(`${base}/dashboard/areas/TH?indicator=${args.indicator}`);
    await page.waitForSelector('[data-testid="ranking"] tr[data-code]', { timeout: WAIT });
    await page.screenshot({ path: new URL("areas-ranked.png", SHOTS).pathname, fullPage: true });
    for (const topic of ["poverty", "flood", "water", "land", "complaints", "projects"]) {
      await page.goto(`${base}/dashboard/topics/${topic}?area=TH`);
      await page.waitForSelector(`[data-testid="topics"][data-topic="${topic}"] table`, { timeout: WAIT });
      await page.screenshot({ path: new URL(`topic-${topic}.png`, SHOTS).pathname, fullPage: true });
    }
    const order = await page.$$eval("nav.tabs a", (links) => links.map((a) => a.textContent));
    await page.setViewportSize({ width: 820, height: 1180 }); // a tablet held upright
    await page.goto(`${base}/dashboard/`);
    await overviewShown(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) fail(`the overview is ${overflow}px wider than a tablet`);
    await page.screenshot({ path: new URL("overview-tablet.png", SHOTS).pathname, fullPage: true });
    return { order };
  },

  async live(page) {
    await signIn(page, "executive");
    await overviewShown(page);
    await page.waitForSelector('[data-socket="live"]', { timeout: WAIT });
    await page.waitForTimeout(500); // the subscriptions are sent right after the socket's ack
    const { indicator, area, period, value } = args.figure;
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${args.writer}` },
      body: JSON.stringify({ query: "mutation($rows: [ObservationInput!]!) { recordObservations(input: $rows) { accepted } }",
                             variables: { rows: [{ indicatorCode: indicator, areaCode: area, period, value }] } }),
    });
    const recorded = await response.json();
    if (!recorded.data?.recordObservations?.accepted) fail(`the figure was not recorded: ${JSON.stringify(recorded)}`);
    const started = Date.now();
    const shown = new Intl.NumberFormat("th-TH", { maximumFractionDigits: 2 }).format(value);
    await page.waitForFunction(([code, text]) => [...document.querySelectorAll(`[data-testid="live-figures"] li[data-indicator="${code}"]`)]
      .some((li) => li.textContent.includes(text)), [indicator, shown], { timeout: 2_000 });
    const after = Date.now() - started;
    const lastHeard = await page.innerText('[data-testid="last-heard"]');
    await page.screenshot({ path: new URL("live.png", SHOTS).pathname, fullPage: false });
    return { shownAfterMs: after, lastHeard };
  },

  async governor(page) {
    await signIn(page, "governor", args.own);
    await overviewShown(page);
    const landed = await page.innerText('[data-testid="overview"] h1');
    await page.goto(`${base}/dashboard/areas/${args.other}`);
    await page.waitForSelector('[role="alert"][data-code="FORBIDDEN"]', { timeout: WAIT });
    const refusal = await page.innerText('[role="alert"]');
    await page.screenshot({ path: new URL("governor-refused.png", SHOTS).pathname, fullPage: false });
    const answer = graphql.filter((g) => g.operation === "DashboardAreaRanking").at(-1);
    return { landed, refusal, apiCodes: answer?.codes ?? [] };
  },

  async stale(page) {
    await signIn(page, "executive");
    await page.goto(`${base}/dashboard/topics/flood?area=TH`);
    await page.waitForSelector('[data-testid="source-failed"], [data-testid="stale"]', { timeout: WAIT });
    const notice = await page.innerText('[data-testid="source-failed"], [data-testid="stale"]');
    await page.waitForSelector(`[data-source="${args.source}"]`, { timeout: WAIT });
    const status = await page.getAttribute(`[data-source="${args.source}"]`, "data-status");
    const bar = await page.innerText('[data-testid="sources"]');
    await page.screenshot({ path: new URL("source-down.png", SHOTS).pathname, fullPage: false });
    return { notice, status, bar };
  },

  async allowlisted(page) {
    await signIn(page, "executive");
    await overviewShown(page);
    await page.goto(`${base}/dashboard/areas/${args.area}`);
    await page.waitForSelector('[data-testid="ranking"] tr[data-code]', { timeout: WAIT });
    for (const topic of ["poverty", "flood", "complaints", "projects"]) {
      await page.goto(`${base}/dashboard/topics/${topic}?area=${args.area}`);
      await page.waitForSelector(`[data-testid="topics"][data-topic="${topic}"] table`, { timeout: WAIT });
    }
    return {};
  },
};

let outcome;
try {
  if (!(scenario in scenarios)) fail(`no scenario ${scenario}`);
  const page = await context.newPage();
  const found = await scenarios[scenario](page);
  outcome = { ok: refused.length === 0, ...found, refused, graphql };
  if (refused.length > 0) outcome.reason = `the page asked for other hosts: ${refused.join(", ")}`;
} catch (error) {
  outcome = { ok: false, reason: String(error?.message ?? error), refused, graphql };
  const pages = context.pages();
  if (pages.length) await pages.at(-1).screenshot({ path: new URL(`failed-${scenario}.png`, SHOTS).pathname }).catch(() => {});
} finally {
  await browser.close();
}
console.log(JSON.stringify(outcome));
process.exit(outcome.ok ? 0 : 1);
