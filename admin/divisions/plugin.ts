import type { Plugin } from "vite";
import { loadDivisions } from "./build.ts";

/**
 * Vite plugin: the divisions as static files under `/divisions/` (see ./build.ts) — emitted into
 * the build, served from memory by the dev server.
 */
export function divisions(): Plugin {
  let data: ReturnType<typeof loadDivisions> | undefined;
  const get = () => (data ??= loadDivisions());
  const fileOf = (name: string): string | undefined => {
    if (name === "index.json") return JSON.stringify(get().index);
    const county = /^(\d{6})\.json$/.exec(name)?.[1];
    const file = county ? get().counties.get(county) : undefined;
    return file ? JSON.stringify(file) : undefined;
  };
  return {
    name: "wangge-divisions",
    generateBundle() {
      const { index, counties } = get();
      this.emitFile({ type: "asset", fileName: "divisions/index.json", source: JSON.stringify(index) });
      for (const [code, file] of counties) this.emitFile({ type: "asset", fileName: `divisions/${code}.json`, source: JSON.stringify(file) });
    },
    configureServer(server) {
      server.middlewares.use("/divisions/", (req, res, next) => {
        const body = fileOf((req.url ?? "").replace(/^\//, "").split("?")[0]);
        if (body === undefined) return next();
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.end(body);
      });
    },
  };
}
