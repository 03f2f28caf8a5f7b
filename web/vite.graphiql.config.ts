import { defineConfig } from "vite";

// The GraphiQL page's sign-in control (src/graphiql/signin.tsx), built beside the dashboard into
// dist/graphiql/ and served by the gateway under /dashboard/graphiql/ (api/graphiql.py loads it).
export default defineConfig({
  base: "/dashboard/graphiql/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist/graphiql", emptyOutDir: true, sourcemap: false, target: "es2022",
    lib: { entry: "src/graphiql/signin.tsx", formats: ["es"], fileName: () => "signin.js" },
  },
});
