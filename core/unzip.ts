/**
 * Reading zip files on node:zlib (raw inflate in the runtime, nothing bundled): the container of an
 * .xlsx (core/xlsx/ooxml-read.ts) and a zipped Shapefile (core/geo/shapefile.ts); the writer is
 * core/zip.ts, apart so that a reader of Shapefiles loads none of it. Issue #15: fflate's
 * JavaScript inflate and deflate were 12.9 KB of every function that read or wrote a workbook or a
 * Shapefile, and slower (docs/setup.md "Excel"). Reads the stored (0) and deflated (8) entries of a
 * zip by its central directory, as Excel, WPS, LibreOffice and exceljs write them (names in UTF-8,
 * or Latin-1 without the UTF-8 flag, as fflate read them); zip64 and encrypted entries are refused.
 */
import { inflateRaw } from "./inflate.ts";

const utf8 = new TextDecoder();
const latin1 = new TextDecoder("latin1");

export interface UnzipOptions {
  /** the entries' declared sizes, all counted (kept or not), may add up to this many bytes */
  maxExpanded: number;
  /** the error thrown beyond `maxExpanded` (default: an Error saying so) */
  tooLarge?: () => Error;
  /** the entries to inflate (default: all) */
  keep?: (name: string) => boolean;
}

/**
 * The entries of a zip by name (folders included, as empty entries); throws on a file that is no zip
 * (or zip64, or encrypted) and on one whose entries declare more than `maxExpanded` bytes (an entry
 * that inflates beyond its declared size is refused too: a zip bomb cannot lie about its size).
 */
export function unzip(bytes: Uint8Array, { maxExpanded, tooLarge, keep }: UnzipOptions): Record<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // the end of central directory record: the last signature within the comment's reach (64 KiB)
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("no zip directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new Error("zip64 is not supported");
  const out: Record<string, Uint8Array> = {};
  let expanded = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new Error("invalid zip directory");
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);
    at += 46 + skip;
    if (flags & 1) throw new Error(`${name} is encrypted`);
    if (packed === 0xffffffff || size === 0xffffffff || local === 0xffffffff) throw new Error("zip64 is not supported");
    expanded += size;
    if (expanded > maxExpanded) throw tooLarge?.() ?? new Error(`the zip expands beyond ${Math.round(maxExpanded / 1024 / 1024)} MiB`);
    if (keep && !keep(name)) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new Error(`invalid zip entry ${name}`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + packed);
    if (data.length !== packed) throw new Error(`truncated zip entry ${name}`);
    if (method === 0) out[name] = data;
    else if (method === 8) out[name] = size ? inflateRaw(data, size) : new Uint8Array(0);
    else throw new Error(`unsupported compression ${method} of ${name}`);
    if (out[name].length !== size) throw new Error(`zip entry ${name} is not its declared size`);
  }
  return out;
}
