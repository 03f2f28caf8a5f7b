// Headless Chromium for the browser tests, with every request to another host refused and every
// GraphQL answer the page received noted. A scenario file hands `run` its scenarios; the runner
// prints one JSON line of findings and exits 1 with the reason when a check fails.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const WAIT = 30_000;
export const SHOTS = new URL("./screenshots/", import.meta.url);
const LOCAL = new Set(["127.0.0.1", "localhost"]);

export function fail(reason) {
  throw new Error(reason);
}

export async function run(scenarios) {
  const [scenario, base, rawArgs] = process.argv.slice(2);
  const args = JSON.parse(rawArgs ?? "{}");
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const refused = [];
  const graphql = []; // every GraphQL answer the page received: operation name and error codes
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "th-TH",
                                             timezoneId: "Asia/Bangkok", acceptDownloads: true });
  await context.route("**/*", (route) => {
    const target = new URL(route.request().url());
    if (target.protocol === "data:" || target.protocol === "blob:" || LOCAL.has(target.hostname)) return route.continue();
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
                     authorization: response.request().headers().authorization ?? null,
                     codes: (body.errors ?? []).map((e) => e.extensions?.code) });
    } catch { /* a response without a body */ }
  });

  let outcome;
  try {
    if (!(scenario in scenarios)) fail(`no scenario ${scenario}`);
    const page = await context.newPage();
    const found = await scenarios[scenario](page, { base, args, context, graphql });
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
}
