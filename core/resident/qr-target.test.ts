import { describe, expect, it } from "vitest";
import { residentUrl } from "./grids.ts";
import { Settings } from "../settings/settings.ts";

const base = { countyName: "示范区", countyCode: "350206", levels: [{ key: "street", name: "街道", segmentDigits: 3 }, { key: "grid", name: "网格", segmentDigits: 3 }] };

describe("what a grid's QR code carries", () => {
  it("is the console's resident page by default", () => {
    expect(residentUrl("https://wg.county.example.cn/", "350206001001001")).toBe("https://wg.county.example.cn/resident/?grid=350206001001001");
  });

  it("is the county's configured target with the grid code, e.g. a link that opens the mini-program", () => {
    expect(residentUrl("https://wg.county.example.cn", "350206001001001", "https://wx.county.example.cn/mp/grid?code={code}")).toBe("https://wx.county.example.cn/mp/grid?code=350206001001001");
  });

  it("accepts only an https URL with {code} as the setting", () => {
    const ok = Settings.safeParse({ ...base, residentQrTarget: "https://wx.county.example.cn/mp/grid/{code}" });
    expect(ok.success).toBe(true);
    for (const bad of ["http://wx.county.example.cn/{code}", "https://wx.county.example.cn/mp", "weixin://dl/business/?t={code}", "https://a b/{code}"]) {
      expect(Settings.safeParse({ ...base, residentQrTarget: bad }).success, bad).toBe(false);
    }
  });
});
