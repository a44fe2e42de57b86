import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Unit tests of the console's pure modules (no browser): `npx vitest run --config admin/vitest.config.ts`. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // keep the cache out of admin/
  cacheDir: fileURLToPath(new URL("../node_modules/.vite/admin", import.meta.url)),
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
