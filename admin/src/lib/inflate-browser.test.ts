import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { inflateRaw as nodeInflate } from "../../../core/inflate.ts";
import { inflateRaw as browserInflate } from "./inflate-browser.ts";

describe("the console's raw inflate (fflate) keeps core/inflate.ts's contract (node:zlib)", () => {
  it("gives the same bytes, and refuses an entry that inflates beyond its declared size", () => {
    const data = new TextEncoder().encode("编码,名称,上级\n".repeat(2000));
    const packed = new Uint8Array(deflateRawSync(data));
    expect(browserInflate(packed, data.length)).toEqual(nodeInflate(packed, data.length));
    expect(() => nodeInflate(packed, data.length - 1)).toThrow();
    expect(() => browserInflate(packed, data.length - 1)).toThrow(RangeError);
  });
});
