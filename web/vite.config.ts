import { defineConfig } from "vite";

// Served by the gateway under /dashboard/ (api/dashboard.py); no plugin needed for Preact's JSX.
export default defineConfig({
  base: "/dashboard/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022" },
});
