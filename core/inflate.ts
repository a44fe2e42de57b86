import { inflateRawSync } from "node:zlib";

/**
 * Raw inflate of one zip entry, refused beyond `maxOutputLength` bytes (a zip bomb cannot lie about
 * its size): node:zlib, in the runtime, nothing bundled (core/unzip.ts). The console's build
 * (admin/vite.config.ts) swaps this module for admin/src/lib/inflate-browser.ts, since a browser has
 * no node:zlib: the unit import page reads a Shapefile's zip in the browser for its preview.
 */
export const inflateRaw = (data: Uint8Array, maxOutputLength: number): Uint8Array => new Uint8Array(inflateRawSync(data, { maxOutputLength }));
