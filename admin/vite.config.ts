import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { divisions } from "./divisions/plugin.ts";
import { mapFiles } from "./src/map/plugin.ts";

/**
 * The admin console. Build from the project root with
 * `npx vite build --config admin/vite.config.ts` → `admin/dist`, served at `/` by the local stack
 * (API at `/v1` on the same origin) and by the Console stack in AWS.
 * `vite --config admin/vite.config.ts` runs a dev server that proxies `/v1` to WANGGE_API
 * (default http://127.0.0.1:3000, a running `npm start`).
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const browserInflate = fileURLToPath(new URL("./src/lib/inflate-browser.ts", import.meta.url));

/** core/inflate.ts (node:zlib) → admin/src/lib/inflate-browser.ts (fflate): the Shapefile preview reads zips in the browser. */
const browserModules: Plugin = {
  name: "wangge-browser-modules",
  enforce: "pre",
  async resolveId(source, importer, options) {
    if (!source.endsWith("/inflate.ts") && source !== "./inflate.ts") return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved && resolved.id.replace(/\\/g, "/").endsWith("/core/inflate.ts") ? browserInflate : null;
  },
};

export default defineConfig({
  root,
  base: "/",
  plugins: [browserModules, react(), divisions(), mapFiles()],
  envDir: root,
  build: {
    // WANGGE_CONSOLE_DIST: build elsewhere (parallel browser-test runs each use their own folder)
    outDir: process.env.WANGGE_CONSOLE_DIST ?? "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/v1": { target: process.env.WANGGE_API ?? "http://127.0.0.1:3000", changeOrigin: true },
    },
  },
});
