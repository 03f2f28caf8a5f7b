// Typed operations from the gateway's published SDL (schema.graphql at the repository root).
// The client preset also writes the persisted-query manifest (sha256 → document) the gateway's
// AREAGRAPH_ALLOWLIST_FILE accepts; scripts/write-manifest.mjs checks and copies it into dist/.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.graphql"],
  generates: {
    "./src/gql/": {
      preset: "client",
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", Date: "string", Decimal: "string", JSON: "unknown" },
      },
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: "sha256", mode: "replaceDocumentWithHash" },
      },
    },
  },
};

export default config;
