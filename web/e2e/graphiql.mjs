// The GraphiQL page (/graphql) in headless Chromium: signing in with the identity provider or the
// demo picker, the examples plugin, shared ?query= links and the audit trail download. Driven by
// tests/web/test_graphiql_browser.py:
//   node web/e2e/graphiql.mjs <scenario> <gateway URL> '<JSON arguments>'
import { readFile } from "node:fs/promises";
import { fail, run, SHOTS, WAIT } from "./harness.mjs";

const editorText = (page, editor) => page.evaluate(
  (selector) => document.querySelector(`${selector} .CodeMirror`)?.CodeMirror.getValue() ?? null, editor);
const QUERY = ".graphiql-query-editor";
const RESULT = ".result-window";

/** Runs the operation in the editor; the result pane's JSON once it answers. */
async function execute(page) {
  await page.waitForSelector(`${QUERY} .CodeMirror`, { timeout: WAIT });
  await page.click(".graphiql-execute-button");
  await page.waitForFunction((selector) => {
    const text = document.querySelector(`${selector} .CodeMirror`)?.CodeMirror.getValue() ?? "";
    return text.trim().startsWith("{");
  }, RESULT, { timeout: WAIT });
  return JSON.parse(await editorText(page, RESULT));
}

async function pickDemoRole(page, role, area = "") {
  await page.waitForSelector('[data-testid="dev-picker"]', { timeout: WAIT });
  await page.selectOption('[data-testid="dev-picker"] select[name="role"]', role);
  await page.fill('[data-testid="dev-picker"] input[name="area"]', area);
  await page.click('[data-testid="dev-picker"] button[type="submit"]');
  await page.waitForSelector('[data-testid="signed-in"]', { timeout: WAIT });
}

/** Moves the page's clock on and waits for the sign-in control to hold a new token. */
async function renewal(page, seconds) {
  const first = await page.evaluate(() => window.areagraphSignIn.headers().Authorization);
  await page.clock.runFor(seconds * 1000);
  await page.waitForFunction((old) => window.areagraphSignIn.headers().Authorization !== old, first, { timeout: WAIT });
  return first;
}

const scenarios = {
  /** Sign in with the identity provider from a shared link, come back to it, run it. */
  async provider(page, { base, args, graphql }) {
    await page.clock.install(); // time runs as usual until the test moves it on
    const link = `${base}/graphql?query=${encodeURIComponent(args.query)}`;
    await page.goto(link);
    await page.click('[data-testid="sign-in-provider"]', { timeout: WAIT });
    await page.waitForSelector('[data-testid="signed-in"][data-via="oidc"]', { timeout: WAIT });
    const landed = page.url();
    if ((await editorText(page, QUERY)) !== args.query) fail("the query was lost on the way back from signing in");
    const result = await execute(page);
    await page.screenshot({ path: new URL("graphiql-provider.png", SHOTS).pathname });
    const sent = graphql.filter((g) => g.authorization !== null).at(-1)?.authorization ?? null;
    // Three quarters into the token's life the control renews it with the refresh token.
    await renewal(page, args.renewAfterSeconds);
    const renewedResult = await execute(page);
    const renewed = graphql.filter((g) => g.authorization !== null).at(-1)?.authorization ?? null;
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="sign-in-provider"]', { timeout: WAIT });
    const afterSignOut = await execute(page);
    return { landed, result, sent, renewed, renewedResult, afterSignOut };
  },

  /** Demo mode: the picker, the "who read personal data" example by click, the month's CSV. */
  async auditor(page, { base, args, graphql }) {
    await page.clock.install();
    await page.goto(`${base}/graphql`);
    await pickDemoRole(page, "auditor");
    // Signed in, GraphiQL has the schema: its docs list the root types.
    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name:has-text("Query")', { timeout: WAIT });
    await page.click('.graphiql-sidebar button[aria-label="Show ตัวอย่าง / Examples"]');
    await Promise.all([page.waitForURL(/query=/, { timeout: WAIT }),
                       page.click(`a[data-example="${args.example}"]`)]);
    await page.waitForSelector('[data-testid="signed-in"]', { timeout: WAIT }); // still signed in
    const result = await execute(page);
    await page.screenshot({ path: new URL("graphiql-auditor.png", SHOTS).pathname });
    await page.fill('[data-testid="signed-in"] input[name="period"]', args.period);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: WAIT }),
                                          page.click('[data-testid="download-trail"]')]);
    const csv = await readFile(await download.path(), "utf8");
    const before = await renewal(page, args.renewAfterSeconds); // a development token is minted again
    const renewedResult = await execute(page);
    const renewed = graphql.at(-1).authorization;
    // The live example: the websocket's connection_init carries the (renewed) token and is accepted.
    const frames = [];
    page.on("websocket", (socket) => {
      socket.on("framesent", (frame) => frames.push(JSON.parse(String(frame.payload))));
      socket.on("framereceived", (frame) => frames.push(JSON.parse(String(frame.payload))));
    });
    await page.click('.graphiql-sidebar button[aria-label="Show ตัวอย่าง / Examples"]');
    await Promise.all([page.waitForURL(/subscription/, { timeout: WAIT }),
                       page.click(`a[data-example="${args.live}"]`)]);
    await page.waitForSelector(`${QUERY} .CodeMirror`, { timeout: WAIT });
    await page.click(".graphiql-execute-button");
    for (let waited = 0; !frames.some((f) => f.type === "connection_ack"); waited += 100) {
      if (waited > WAIT) fail(`no connection_ack on the websocket: ${JSON.stringify(frames)}`);
      await page.waitForTimeout(100);
    }
    const init = frames.find((f) => f.type === "connection_init");
    return { result, file: download.suggestedFilename(), csv, renewed: renewed !== before, renewedResult,
             socketAuthorization: init?.payload?.Authorization === renewed };
  },

  /** A shared link opens GraphiQL with its query, and pasted headers still sign requests. */
  async link(page, { base, args }) {
    const headers = JSON.stringify({ Authorization: `Bearer ${args.token}` });
    await page.goto(`${base}/graphql?query=${encodeURIComponent(args.query)}&headers=${encodeURIComponent(headers)}`);
    await page.waitForSelector(`${QUERY} .CodeMirror`, { timeout: WAIT });
    const editor = await editorText(page, QUERY);
    const result = await execute(page);
    return { editor, result };
  },
};

await run(scenarios);
