import { describe, expect, it } from "vitest";
import { consoleCsp, consoleHeaders, residentCsp, tileOrigin, tileOriginOfJson } from "./console-headers.ts";

describe("console security headers", () => {
  it("allow scripts only from the console's origin and forbid framing", () => {
    const csp = consoleCsp({ api: "https://api.example.cn", files: ["https://b.s3.cn-northwest-1.amazonaws.com.cn"], tiles: ["https://*.tianditu.gov.cn"] });
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' https://api.example.cn https://b.s3.cn-northwest-1.amazonaws.com.cn;");
    expect(csp).toContain("img-src 'self' data: blob: https://b.s3.cn-northwest-1.amazonaws.com.cn https://*.tianditu.gov.cn;");
    expect(consoleHeaders()).toMatchObject({ "x-content-type-options": "nosniff", "strict-transport-security": expect.stringMatching(/^max-age=\d{8,}/), "referrer-policy": "strict-origin-when-cross-origin" });
  });

  it("derives a tile server origin from a Leaflet URL template", () => {
    expect(tileOrigin("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY")).toBe("https://*.tianditu.gov.cn");
    expect(tileOrigin("https://webrd0{s}.is.autonavi.com/appmaptile?x={x}")).toBe("https://*.is.autonavi.com");
    expect(tileOrigin("https://tiles.example.cn/{z}/{x}/{y}.png")).toBe("https://tiles.example.cn");
    expect(tileOrigin(undefined)).toBeUndefined();
  });

  it("lets the resident page load tiles from the configured tile server only (its map), nothing else widened", () => {
    const csp = residentCsp({ files: ["https://b.example.cn"], tiles: ["https://*.tianditu.gov.cn"] });
    expect(csp).toContain("img-src 'self' data: blob: https://b.example.cn https://*.tianditu.gov.cn;");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("connect-src 'self' https://b.example.cn;");
    expect(residentCsp({})).toContain("img-src 'self' data: blob:;");
  });

  it("reads the tile origin of a served tiles.json, an empty one meaning no tiles, a missing one the fallback", () => {
    expect(tileOriginOfJson('{"url":"https://webrd0{s}.is.autonavi.com/appmaptile?x={x}","crs":"gcj02"}')).toBe("https://*.is.autonavi.com");
    expect(tileOriginOfJson("{}", "https://t{s}.tianditu.gov.cn/x")).toBeUndefined();
    expect(tileOriginOfJson(undefined, "https://t{s}.tianditu.gov.cn/x")).toBe("https://*.tianditu.gov.cn");
  });
});
