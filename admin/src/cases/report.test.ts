import { describe, it, expect } from "vitest";
import { prepareReport } from "./report.ts";

describe("the report form", () => {
  it("uploads the photos first and sends their keys with the report", async () => {
    const photo = new File([new Uint8Array(5)], "a.png", { type: "image/png" });
    const uploaded: File[][] = [];
    const body = await prepareReport(
      { categoryId: "cat-env-garbage", description: " 垃圾 ", location: { lng: "118.08", lat: 24.49, address: " 东门 " }, unitId: "", urgent: false, photos: [{ rawFile: photo, src: "blob:x" }] },
      async (files) => {
        uploaded.push(files);
        return [{ key: "uploads/user-1/p.png", kind: "photo" }];
      },
    );
    expect(uploaded).toEqual([[photo]]);
    expect(body).toEqual({
      categoryId: "cat-env-garbage",
      description: "垃圾",
      location: { lng: 118.08, lat: 24.49, address: "东门" },
      attachments: [{ key: "uploads/user-1/p.png", kind: "photo" }],
    });
  });

  it("sends the unit and urgency only when given, and uploads nothing without photos", async () => {
    let called = false;
    const body = await prepareReport({ categoryId: "c", description: "d", location: { lng: 1, lat: 2 }, unitId: "u1", urgent: true }, async () => {
      called = true;
      return [];
    });
    expect(called).toBe(false);
    expect(body).toEqual({ categoryId: "c", description: "d", location: { lng: 1, lat: 2 }, unitId: "u1", urgent: true });
  });
});
