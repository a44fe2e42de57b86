import { describe, it, expect, beforeAll } from "vitest";
import { call, useStackEnv } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { pointIn } from "../../test/cases.ts";

beforeAll(() => useStackEnv());

async function keyWith(channels?: string[]): Promise<string> {
  const body: Record<string, unknown> = { name: `channels-${Math.random().toString(36).slice(2, 8)}`, permissions: ["cases:report", "cases:read"] };
  if (channels) body.channels = channels;
  const r = await call("POST", "/v1/api-keys", { token: await adminToken(), body });
  expect(r.status).toBe(201);
  return r.body.key;
}

async function reportWith(key: string, channel?: string) {
  const location = await pointIn("worker1");
  return call("POST", "/v1/cases", {
    headers: { "x-api-key": key },
    body: { categoryId: "cat-env-garbage", description: "渠道权限测试", location, ...(channel ? { channel } : {}) },
  });
}

describe("report channels of API keys", () => {
  it("refuses the police and hotline channels to a key without the grant, naming the field", async () => {
    const key = await keyWith();
    for (const channel of ["police", "hotline"]) {
      const r = await reportWith(key, channel);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
      expect(r.body.error.details.field).toBe("channel");
      expect(r.body.error.details.fields).toEqual([{ path: "channel", message: `channel ${channel} is not granted to this key` }]);
    }
    const partner = await reportWith(key);
    expect(partner.status).toBe(201);
    expect(partner.body.case.channel).toBe("partner");
  });

  it("accepts exactly the channels granted on the key", async () => {
    const key = await keyWith(["hotline"]);
    const hotline = await reportWith(key, "hotline");
    expect(hotline.status).toBe(201);
    expect(hotline.body.case.channel).toBe("hotline");
    expect((await reportWith(key, "police")).status).toBe(403);
    const listed = await call("GET", "/v1/api-keys?limit=200", { token: await adminToken() });
    expect(listed.body.items.find((k: { name: string; channels?: string[] }) => k.channels?.includes("hotline"))).toBeDefined();
  });

  it("grants only the police and hotline channels", async () => {
    const r = await call("POST", "/v1/api-keys", { token: await adminToken(), body: { name: "bad-channel", permissions: ["cases:report"], channels: ["resident"] } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields[0].path).toBe("channels.0");
  });
});
