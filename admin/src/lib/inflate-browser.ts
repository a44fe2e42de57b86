import { inflateSync } from "fflate";

/**
 * core/inflate.ts in the browser (admin/vite.config.ts puts this module in its place): the same
 * contract, raw inflate refused beyond `maxOutputLength` bytes, on fflate's JavaScript inflate.
 */
export const inflateRaw = (data: Uint8Array, maxOutputLength: number): Uint8Array => {
  const out = inflateSync(data);
  if (out.length > maxOutputLength) throw new RangeError(`Cannot create a Buffer larger than ${maxOutputLength} bytes`);
  return out;
};
