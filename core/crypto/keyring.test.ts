import { describe, it, expect, beforeAll } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { useStackEnv } from "../../test/client.ts";

/** Against the shared stack's table: the same key file and data keys the handlers use. */
beforeAll(() => {
  useStackEnv();
});

describe("keyring: envelope encryption with versioned data keys", () => {
  it("stores data keys only wrapped, with the id of the key that wrapped them", async () => {
    const { currentFieldKey } = await import("./keyring.ts");
    const { db, tableName } = await import("../db/client.ts");
    const k = await currentFieldKey();
    const out = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: "CRYPTO", sk: `DATAKEY#${String(k.version).padStart(6, "0")}` } }));
    expect(out.Item).toMatchObject({ version: k.version, keyId: expect.stringMatching(/^local:[0-9a-f]{16}$/) });
    expect(k.keyId).toBe(out.Item!.keyId);
    const wrapped = Buffer.from(out.Item!.wrapped as string, "base64");
    expect(wrapped.includes(k.enc)).toBe(false);
    expect(wrapped.includes(k.mac)).toBe(false);
  });

  it("rotates: new values use the new version, old ones still open, and search hashes do not change", async () => {
    const { seal, open, searchHash } = await import("./sealed.ts");
    const { rotateDataKey, forgetKeys } = await import("./keyring.ts");
    const { sealedVersion } = await import("./field.ts");
    const before = await seal("13800000000", "test:rotate:phone");
    const hashBefore = await searchHash("phone", "13800000000");
    const v = await rotateDataKey();
    expect(v).toBeGreaterThan(sealedVersion(before));
    const after = await seal("13800000000", "test:rotate:phone");
    expect(sealedVersion(after)).toBe(v);
    forgetKeys(); // a cold container: keys unwrapped again from the table
    expect(await open(before, "test:rotate:phone")).toBe("13800000000");
    expect(await open(after, "test:rotate:phone")).toBe("13800000000");
    expect(await searchHash("phone", "13800000000")).toBe(hashBefore);
  });
});
