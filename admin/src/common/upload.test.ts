import { describe, it, expect, vi, afterEach } from "vitest";
import { attachmentPath, attachmentProblem, uploadAll, uploadAttachment } from "./upload.ts";

afterEach(() => vi.unstubAllGlobals());

/** The API's presign answer, through a stubbed fetch. */
function stubApi() {
  const requests: { url: string; body: string }[] = [];
  // the typed client (openapi-fetch) sends a Request; a plain fetch sends a URL and init
  vi.stubGlobal("fetch", async (input: string | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : new URL(input.url).pathname;
    // signed out: the console's one try to renew from the refresh cookie (admin/src/session.ts) is refused
    if (url.endsWith("/v1/auth/refresh")) return new Response(JSON.stringify({ error: { code: "unauthorized", message: "No session", details: { reason: "refresh_invalid" } } }), { status: 401 });
    const body = typeof input === "string" ? String(init?.body) : await input.text();
    requests.push({ url, body });
    const n = requests.length;
    return new Response(JSON.stringify({ key: `uploads/user-1/k${n}-before.png`, kind: "photo", uploadUrl: `https://bucket/k${n}?X-Amz-Signature=s`, method: "PUT", headers: { "content-type": "image/png" } }), {
      status: 201,
      headers: { "content-type": "application/json" },
    });
  });
  return requests;
}

const png = (size = 10) => new Blob([new Uint8Array(size)], { type: "image/png" });

describe("attachment uploads", () => {
  it("ask for a presigned PUT, send the file there with its headers, and return the key to attach", async () => {
    const api = stubApi();
    const puts: { url: string; init: RequestInit }[] = [];
    const put = async (url: string, init: RequestInit) => {
      puts.push({ url, init });
      return new Response(null, { status: 200 });
    };
    const file = png(123);
    const out = await uploadAttachment("/v1/cases/C1/attachments", file, "handling", put);
    expect(out).toEqual({ key: "uploads/user-1/k1-before.png", kind: "photo" });
    expect(api[0].url).toBe("/v1/cases/C1/attachments");
    expect(JSON.parse(api[0].body)).toEqual({ contentType: "image/png", size: 123, tag: "handling" });
    expect(puts[0]).toMatchObject({ url: "https://bucket/k1?X-Amz-Signature=s", init: { method: "PUT", headers: { "content-type": "image/png" }, body: file } });
  });

  it("keep the order of several photos", async () => {
    stubApi();
    const out = await uploadAll("/v1/uploads", [png(), png(), png()], "before", async () => new Response(null, { status: 200 }));
    expect(out.map((a) => a.key)).toEqual(["uploads/user-1/k1-before.png", "uploads/user-1/k2-before.png", "uploads/user-1/k3-before.png"]);
  });

  it("refuse other types, empty and oversized files before any request", async () => {
    const api = stubApi();
    await expect(uploadAttachment("/v1/uploads", new Blob(["x"], { type: "application/pdf" }), "other")).rejects.toMatchObject({ message: "app.upload.bad_type" });
    expect(attachmentProblem({ type: "image/jpeg", size: 11 * 1024 * 1024 })).toBe("app.upload.too_large");
    expect(attachmentProblem({ type: "image/jpeg", size: 0 })).toBe("app.upload.empty");
    expect(attachmentProblem({ type: "audio/amr", size: 10 })).toBeUndefined();
    expect(api).toHaveLength(0);
  });

  it("report a refused PUT as a failed upload", async () => {
    stubApi();
    await expect(uploadAttachment("/v1/uploads", png(), "before", async () => new Response("denied", { status: 403 }))).rejects.toMatchObject({ message: "app.upload.failed", status: 403 });
  });

  it("keep the slashes of a key in the download path and encode the rest", () => {
    expect(attachmentPath("C 1", "cases/C1/01H#x.png")).toBe("/v1/cases/C%201/attachments/cases/C1/01H%23x.png");
  });
});
