import { beforeAll, describe, expect, it } from "vitest";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { resetDb } from "../db/client.ts";
import { exportUnits } from "./export.ts";

/**
 * The unit export's large-file path: a body above the inline limit is stored in the bucket with one
 * signed PutObject (core/s3-object.ts, without the S3 client) and answered with a presigned download
 * that gives back the same file, its type and its attachment name.
 */
describe("unit export stored in the bucket", () => {
  let streetId: string;
  beforeAll(async () => {
    useStackEnv();
    resetDb();
    const admin = await adminToken();
    const r = await call("GET", "/v1/units?q=350206001&limit=5", { token: admin });
    streetId = r.body.items.find((u: { code: string }) => u.code === "350206001").id;
  });

  it("puts a file over the inline limit in the bucket with its content type and file name, and the download gives the inline body back", async () => {
    const system = { kind: "system" as const, id: "test-unit-export" };
    const now = new Date();
    for (const format of ["csv", "geojson"] as const) {
      const inline = await exportUnits(system, { subtreeOf: streetId, format }, now);
      expect(inline.kind).toBe("inline");
      if (inline.kind !== "inline") continue;
      const stored = await exportUnits(system, { subtreeOf: streetId, format }, now, { inlineLimit: 100 });
      expect(stored).toMatchObject({ kind: "download", fileName: inline.fileName });
      if (stored.kind !== "download") continue;
      expect(stored.key).toMatch(new RegExp(`^exports/units-350206001-[0-9A-Z]{26}\\.${format}$`));
      const res = await fetch(stored.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(inline.contentType);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${inline.fileName}"`);
      // bytes, not text(): the CSV's BOM must come back too
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(inline.body))).toBe(true);
    }
  });
});
