import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, systemClock, useClock } from "../clock.ts";
import { jwtKey, resetJwtKey, SECRET_TTL_MS, ssmEndpoint } from "./secret.ts";

/**
 * The JWT secret in AWS: one SigV4-signed `AmazonSSM.GetParameter` over HTTPS (no SSM SDK client).
 * An HTTP server stands in for SSM's endpoint (AWS_ENDPOINT_URL_SSM) and answers like SSM does.
 */
interface Seen {
  target: string;
  auth: string;
  token: string;
  body: { Name: string; WithDecryption: boolean };
}
const seen: Seen[] = [];
let answer: { status: number; value: string } = { status: 200, value: "" };
let server: Server;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ target: String(req.headers["x-amz-target"]), auth: String(req.headers.authorization), token: String(req.headers["x-amz-security-token"]), body: JSON.parse(body) });
      res.statusCode = answer.status;
      res.setHeader("content-type", "application/x-amz-json-1.1");
      res.end(answer.status === 200 ? JSON.stringify({ Parameter: { Name: "x", Type: "SecureString", Value: answer.value, Version: 1 } }) : JSON.stringify({ __type: "InternalServerError" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const clock = new ManualClock();
beforeEach(() => {
  seen.length = 0;
  delete process.env.WANGGE_JWT_SECRET;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: "cn-northwest-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_SESSION_TOKEN: "session-token",
    SST_APP: "wangge",
    SST_STAGE: "huli",
  });
  useClock(clock);
  resetJwtKey();
});
afterEach(() => {
  process.env = { ...saved };
  useClock(systemClock);
  resetJwtKey();
});

const text = (k: Uint8Array) => new TextDecoder().decode(k);

describe("JWT secret from SSM without the SDK", () => {
  it("reads the stage's SecureString with one SigV4-signed GetParameter, with decryption, signed by the role's session", async () => {
    answer = { status: 200, value: "k".repeat(40) };
    expect(text(await jwtKey())).toBe("k".repeat(40));
    expect(seen).toHaveLength(1);
    expect(seen[0].target).toBe("AmazonSSM.GetParameter");
    expect(seen[0].body).toEqual({ Name: "/sst/wangge/huli/Secret/JWT_SECRET/value", WithDecryption: true });
    expect(seen[0].auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/cn-northwest-1\/ssm\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/);
    expect(seen[0].token).toBe("session-token");
    // warm: no second read
    await jwtKey();
    expect(seen).toHaveLength(1);
  });

  it("reads again after the TTL, so a rotated secret reaches warm containers; a failed refresh keeps the key it had", async () => {
    answer = { status: 200, value: "a".repeat(40) };
    expect(text(await jwtKey())).toBe("a".repeat(40));
    clock.advance(SECRET_TTL_MS - 1000);
    answer = { status: 200, value: "b".repeat(40) };
    expect(text(await jwtKey())).toBe("a".repeat(40));
    clock.advance(2000);
    expect(text(await jwtKey())).toBe("b".repeat(40));
    expect(seen).toHaveLength(2);
    clock.advance(SECRET_TTL_MS);
    answer = { status: 500, value: "" };
    expect(text(await jwtKey())).toBe("b".repeat(40));
  });

  it("refuses a secret shorter than 32 characters, and fails without a key it could fall back on", async () => {
    answer = { status: 200, value: "short" };
    await expect(jwtKey()).rejects.toThrow(/JWT_SECRET must be set/);
    answer = { status: 500, value: "" };
    await expect(jwtKey()).rejects.toThrow(/HTTP 500/);
  });

  it("uses the China partition's endpoint in the China regions", () => {
    delete process.env.AWS_ENDPOINT_URL_SSM;
    expect(ssmEndpoint("cn-northwest-1")).toBe("https://ssm.cn-northwest-1.amazonaws.com.cn");
    expect(ssmEndpoint("cn-north-1")).toBe("https://ssm.cn-north-1.amazonaws.com.cn");
    expect(ssmEndpoint("eu-west-1")).toBe("https://ssm.eu-west-1.amazonaws.com");
  });
});

describe("local JWT key", () => {
  it("refuses a local WANGGE_JWT_SECRET shorter than 32 bytes, saying how long it must be", async () => {
    process.env.WANGGE_JWT_SECRET = "too-short-local-key";
    await expect(jwtKey()).rejects.toThrow("JWT_SECRET must be at least 32 bytes (key 1 has 19): set WANGGE_JWT_SECRET to 32+ random bytes");
    // bytes, not characters: 11 CJK characters are 33 bytes
    resetJwtKey();
    process.env.WANGGE_JWT_SECRET = "网".repeat(11);
    expect((await jwtKey()).length).toBe(33);
    expect(seen).toHaveLength(0);
  });
});
