import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { useStackEnv } from "../../test/client.ts";
import { ManualClock, useClock } from "../../core/clock.ts";
import { LOGIN_LIMITS } from "../../core/user/login.ts";
import { clientAddress, ORIGIN_PROOF_HEADER, resetOriginProof, VIEWER_ADDRESS_HEADER } from "../../core/web/client-address.ts";
import { handler } from "./login.ts";
import { registerRoutes } from "../route-registry.ts";
import { routes } from "../routes.ts";

// the handlers are called directly, as the embedded stack serves them: the whole route table registered (functions/route-registry.ts)
registerRoutes(routes);

/**
 * Console sign-ins reach the API through the county's CloudFront (/v1/*), whose edge is the TCP
 * source of them all. The per-address failed-login window (core/user/login.ts) must count per
 * viewer when CloudFront proves the request passed through it (x-wangge-origin-proof), and per TCP
 * source otherwise — a direct caller of the execute-api URL cannot pick its own address
 * (core/web/client-address.ts, docs/security.md "Client address behind the console's CloudFront").
 * The login handler runs in this process against the embedded stack's table.
 */
const PROOF = `proof-${randomBytes(24).toString("base64url")}`;
const OLD_PROOF = `proof-${randomBytes(24).toString("base64url")}`;
const run = randomBytes(4).toString("hex");
// addresses of this run only (documentation ranges), so windows of earlier runs on the shared stack never count
const v6 = (tag: string) => `2001:db8:${run.slice(0, 4)}:${run.slice(4)}::${tag}`;

let saved: string | undefined;
beforeAll(() => {
  useStackEnv();
  saved = process.env.WANGGE_ORIGIN_PROOF;
  process.env.WANGGE_ORIGIN_PROOF = `${PROOF} ${OLD_PROOF}`; // current, then the one before a rotation
  resetOriginProof();
  const clock = new ManualClock();
  clock.set(new Date("2026-03-02T01:00:00Z"));
  useClock(clock);
});
afterAll(() => {
  if (saved === undefined) delete process.env.WANGGE_ORIGIN_PROOF;
  else process.env.WANGGE_ORIGIN_PROOF = saved;
  resetOriginProof();
});

let n = 0;
/** A failed sign-in (unknown username, so no account lock and no per-username window is involved) as API Gateway delivers it. */
async function wrongLogin(tcpSource: string, headers: Record<string, string> = {}): Promise<APIGatewayProxyStructuredResultV2> {
  const event = {
    version: "2.0",
    routeKey: "POST /v1/auth/login",
    rawPath: "/v1/auth/login",
    rawQueryString: "",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username: `nobody${run}x${n++}`, password: "not-the-password-1" }),
    isBase64Encoded: false,
    requestContext: { requestId: `viewer-${run}-${n}`, http: { method: "POST", path: "/v1/auth/login", protocol: "HTTP/1.1", sourceIp: tcpSource, userAgent: "vitest" } },
  } as unknown as APIGatewayProxyEventV2;
  return (await handler(event)) as APIGatewayProxyStructuredResultV2;
}

const SCRYPT_HEAVY = 300_000; // every refused attempt does a full scrypt check (about 50 in a row per test)

describe("client address behind the console's CloudFront (#19 sign-in windows)", () => {
  it(
    "with the right proof, failures count per viewer: 50 of viewer A through one edge spend A's window, not viewer B's through the same edge",
    async () => {
      const edge = v6("e0"); // the CloudFront edge both viewers come through
      const a = { [VIEWER_ADDRESS_HEADER]: v6("a"), [ORIGIN_PROOF_HEADER]: PROOF };
      const b = { [VIEWER_ADDRESS_HEADER]: v6("b"), [ORIGIN_PROOF_HEADER]: PROOF };
      for (let i = 0; i < LOGIN_LIMITS.perIp.limit; i++) expect((await wrongLogin(edge, a)).statusCode).toBe(401);
      const blocked = await wrongLogin(edge, a);
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers?.["retry-after"])).toBeGreaterThan(0);
      // viewer B shares the edge but not the window
      expect((await wrongLogin(edge, b)).statusCode).toBe(401);
      // the proof before a rotation still counts A as A (CloudFront may send it until its update is out)
      expect((await wrongLogin(edge, { ...a, [ORIGIN_PROOF_HEADER]: OLD_PROOF })).statusCode).toBe(429);
    },
    SCRYPT_HEAVY,
  );

  it(
    "a viewer header without the proof or with a wrong one is ignored: failures count under the TCP source, whatever viewer address is claimed",
    async () => {
      const direct = v6("d"); // a caller of the execute-api URL
      const forged = (i: number): Record<string, string> =>
        i % 2 === 0 ? { [VIEWER_ADDRESS_HEADER]: v6(`f${i}`) } : { [VIEWER_ADDRESS_HEADER]: v6(`f${i}`), [ORIGIN_PROOF_HEADER]: `wrong-${i}-${PROOF.slice(6)}` };
      for (let i = 0; i < LOGIN_LIMITS.perIp.limit; i++) expect((await wrongLogin(direct, forged(i))).statusCode).toBe(401);
      // a fresh claimed address does not escape the source's spent window, with no proof or a wrong one
      expect((await wrongLogin(direct, { [VIEWER_ADDRESS_HEADER]: v6("fresh1") })).statusCode).toBe(429);
      expect((await wrongLogin(direct, { [VIEWER_ADDRESS_HEADER]: v6("fresh2"), [ORIGIN_PROOF_HEADER]: PROOF.toUpperCase() })).statusCode).toBe(429);
      // and the claimed addresses were never charged: one of them, proven, still has its whole window
      expect((await wrongLogin(v6("e1"), { [VIEWER_ADDRESS_HEADER]: v6("f0"), [ORIGIN_PROOF_HEADER]: PROOF })).statusCode).toBe(401);
    },
    SCRYPT_HEAVY,
  );
});

describe("clientAddress", () => {
  const tcp = "198.51.100.20";
  it("takes the viewer address only with a matching proof and a well-formed address", async () => {
    expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "203.0.113.5", [ORIGIN_PROOF_HEADER]: PROOF }, tcp)).toBe("203.0.113.5");
    expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "2001:DB8::5", [ORIGIN_PROOF_HEADER]: OLD_PROOF }, tcp)).toBe("2001:db8::5");
    expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "203.0.113.5" }, tcp)).toBe(tcp);
    expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "203.0.113.5", [ORIGIN_PROOF_HEADER]: `${PROOF}x` }, tcp)).toBe(tcp);
    expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "203.0.113.5", [ORIGIN_PROOF_HEADER]: "" }, tcp)).toBe(tcp);
    expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "not-an-address", [ORIGIN_PROOF_HEADER]: PROOF }, tcp)).toBe(tcp);
    expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "203.0.113.5, 10.0.0.1", [ORIGIN_PROOF_HEADER]: PROOF }, tcp)).toBe(tcp);
    expect(await clientAddress({ [ORIGIN_PROOF_HEADER]: PROOF }, tcp)).toBe(tcp);
  });

  it("without a configured proof (npm start, the embedded stack, functions not granted the secret) always answers the TCP source", async () => {
    const before = process.env.WANGGE_ORIGIN_PROOF;
    delete process.env.WANGGE_ORIGIN_PROOF;
    resetOriginProof();
    try {
      expect(await clientAddress({ [VIEWER_ADDRESS_HEADER]: "203.0.113.5", [ORIGIN_PROOF_HEADER]: PROOF }, tcp)).toBe(tcp);
    } finally {
      process.env.WANGGE_ORIGIN_PROOF = before;
      resetOriginProof();
    }
  });
});
