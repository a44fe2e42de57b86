import { describe, expect, it } from "vitest";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { unzip } from "./unzip.ts";
import { zip } from "./zip.ts";

/** core/zip.ts (node:zlib) against fflate, the zip library it replaced (a dev-dependency oracle here). */
describe("zip on node:zlib", () => {
  const parts = { "[Content_Types].xml": '<?xml version="1.0"?><Types/>', "xl/worksheets/sheet1.xml": "<c>网格 ✓</c>".repeat(500), "docs/空.txt": "" };

  it("writes zips fflate reads back part for part, the same bytes for the same parts", () => {
    const bytes = zip(parts);
    const back = unzipSync(bytes);
    expect(Object.keys(back).sort()).toEqual(Object.keys(parts).sort());
    for (const [name, text] of Object.entries(parts)) expect(strFromU8(back[name]), name).toBe(text);
    expect(Buffer.from(zip(parts)).equals(Buffer.from(bytes))).toBe(true);
    expect(bytes.length).toBeLessThan(parts["xl/worksheets/sheet1.xml"].length / 10);
  });

  it("reads fflate's deflated and stored entries, folders included", () => {
    const files = { "a/": new Uint8Array(0), "a/b.xml": strToU8("<b>中文</b>".repeat(100)), "c.bin": new Uint8Array([0, 1, 2, 255]) };
    for (const level of [0, 6] as const) {
      const got = unzip(zipSync(files, { level }), { maxExpanded: 1e6 });
      expect(Object.keys(got).sort()).toEqual(Object.keys(files).sort());
      for (const [name, body] of Object.entries(files)) expect(Buffer.from(got[name]).equals(Buffer.from(body)), `${name} level ${level}`).toBe(true);
    }
  });

  it("inflates only the entries kept, and counts every entry's size against the limit", () => {
    const bytes = zipSync({ "x.shp": new Uint8Array(600), "readme.txt": new Uint8Array(600) });
    expect(Object.keys(unzip(bytes, { maxExpanded: 2000, keep: (n) => n.endsWith(".shp") }))).toEqual(["x.shp"]);
    const tooLarge = () => new Error("too large");
    expect(() => unzip(bytes, { maxExpanded: 1000, tooLarge, keep: (n) => n.endsWith(".shp") })).toThrow("too large");
  });

  it("refuses an entry that inflates beyond its declared size (a zip bomb lying in its headers) and a file that is no zip", () => {
    const bytes = zipSync({ "bomb.xml": new Uint8Array(100_000) });
    // declare 10 bytes in the central directory (uncompressed size at offset 24 of the entry)
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const dir = view.getUint32(bytes.length - 22 + 16, true);
    view.setUint32(dir + 24, 10, true);
    expect(() => unzip(bytes, { maxExpanded: 1e6 })).toThrow();
    expect(() => unzip(strToU8("code,name\n1,a"), { maxExpanded: 1e6 })).toThrow("no zip directory");
  });
});
