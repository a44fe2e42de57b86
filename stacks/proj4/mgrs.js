// `mgrs` in the deployed bundles (stacks/esbuild.ts alias): proj4 imports it for its MGRS helpers (proj4.mgrs,
// Point.fromMGRS), which this app never calls; a call fails loudly instead of bundling the package.
const unused = () => {
  throw new Error("MGRS is not bundled (stacks/proj4/mgrs.js)");
};
export const forward = unused;
export const inverse = unused;
export const toPoint = unused;
export default { forward, inverse, toPoint };
