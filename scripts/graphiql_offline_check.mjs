// GraphiQL works with no internet: in headless Chromium, with every request to another host
// refused, the page runs a query (token from the header editor), shows the docs and receives a
// subscription event. Needs npm `playwright-core` and Debian's `chromium`.
//   node scripts/graphiql_offline_check.mjs http://127.0.0.1:8000/graphql "$(areagraph token --role ministry_admin)"
import { chromium } from "playwright-core";

const [url, token] = process.argv.slice(2);
const LOCAL = new Set(["127.0.0.1", "localhost"]);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const refused = [];
const context = await browser.newContext();
await context.route("**/*", (route) => {
  const target = new URL(route.request().url());
  if (target.protocol === "data:" || LOCAL.has(target.hostname)) return route.continue();
  refused.push(target.href);
  return route.abort();
});

async function open(query) {
  const page = await context.newPage();
  const headers = JSON.stringify({ Authorization: `Bearer ${token}` });
  await page.goto(`${url}?q=${encodeURIComponent(query)}&headers=${encodeURIComponent(headers)}`);
  await page.waitForSelector(".graphiql-execute-button", { timeout: 20000 });
  return page;
}

async function resultContains(page, text) {
  await page.waitForFunction(
    (t) => (document.querySelector(".result-window")?.innerText ?? "").includes(t), text,
    { timeout: 20000 });
}

const query = await open('{ area(code: "34") { nameEn nameTh } }');
await query.click(".graphiql-execute-button");
await resultContains(query, "Ubon Ratchathani");
console.log("query: ok");

await query.click('[aria-label="Show Documentation Explorer"]');
await query.waitForFunction(
  () => (document.querySelector(".graphiql-doc-explorer")?.innerText ?? "").includes("Query"),
  null, { timeout: 20000 });
console.log("docs: ok");

const subscription = await open(
  'subscription { observationRecorded(areaCode: "34") { areaCode indicatorCode value } }');
await subscription.click(".graphiql-execute-button");
const mutation = `mutation { recordObservations(input: [{indicatorCode: "SAFE_WATER_PCT",
  areaCode: "340101", period: "2026-03", value: 87.5}]) { accepted } }`;
for (let attempt = 0; attempt < 20; attempt += 1) {
  await fetch(url, { method: "POST", body: JSON.stringify({ query: mutation }),
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` } });
  const seen = await subscription.evaluate(
    () => (document.querySelector(".result-window")?.innerText ?? "").includes("87.5"));
  if (seen) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
await resultContains(subscription, "87.5");
console.log("subscription: ok");

await browser.close();
if (refused.length > 0) {
  console.error(`the page asked for other hosts: ${refused.join(", ")}`);
  process.exit(1);
}
console.log("no request left 127.0.0.1");
