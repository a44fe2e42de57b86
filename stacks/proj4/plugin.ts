import { fileURLToPath } from "node:url";

/**
 * esbuild plugin of every deployed bundle (stacks/esbuild.ts): proj4's `lib/index.js` adds all of
 * its 30-odd projections through `import includedProjections from '../projs'`; this resolves that
 * one import to stacks/proj4/projections.js, which adds only the projections core/geo/projections.ts
 * supports (proj4 109 → 55 KB in the jobs consumer). The refusal of any other projection is
 * core/geo/shapefile.ts's own check, so `npm start` (the whole package, loaded by Node) answers the same.
 */
const projections = fileURLToPath(new URL("./projections.js", import.meta.url));

export const proj4Projections = {
  name: "proj4-projections",
  setup(build: { onResolve: (o: { filter: RegExp }, f: (a: { importer: string }) => { path: string } | undefined) => void }) {
    build.onResolve({ filter: /^\.\.\/projs(\.js)?$/ }, (args) => (/[\\/]proj4[\\/]lib[\\/]index\.js$/.test(args.importer) ? { path: projections } : undefined));
  },
};
