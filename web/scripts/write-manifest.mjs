// The page's operations as the persisted-query manifest AREAGRAPH_ALLOWLIST_FILE accepts:
// {"<sha256 of the document>": "<document>"}. Fails the build when a hash does not match.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const source = new URL("../src/gql/persisted-documents.json", import.meta.url);
const target = new URL("../dist/persisted-queries.json", import.meta.url);
const documents = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(source, "utf8"))).map(
    ([key, body]) => [key.replace(/^sha256:/, ""), body]));
for (const [hash, body] of Object.entries(documents)) {
  const actual = createHash("sha256").update(body).digest("hex");
  if (actual !== hash) throw new Error(`persisted document ${hash} hashes to ${actual}`);
}
writeFileSync(target, JSON.stringify(documents, null, 2) + "\n");
console.log(`persisted-query manifest: ${Object.keys(documents).length} operations → dist/persisted-queries.json`);
