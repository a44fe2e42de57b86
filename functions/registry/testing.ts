import { expect } from "vitest";
import { randomInt } from "node:crypto";
import { call, login, type Res } from "../../test/client.ts";
import { DEMO_PASSWORD } from "../../test/fixtures.ts";
import { idCheckChar } from "../../core/registry/idcard.ts";

/**
 * Helpers for registry, duty and export tests (not a test file). Tokens are re-issued when a
 * clock move expired them, so tests in a file that moves its stack's clock keep working.
 */
const tokens = new Map<string, string>();

export async function as(username: string, method: string, path: string, body?: unknown): Promise<Res> {
  for (let attempt = 0; ; attempt++) {
    let token = tokens.get(username);
    if (!token) {
      token = await login(username, DEMO_PASSWORD);
      tokens.set(username, token);
    }
    const r = await call(method, path, { token, body });
    if (r.status !== 401 || attempt > 0) return r;
    tokens.delete(username);
  }
}

export function forgetLogins(): void {
  tokens.clear();
}

/** Insist on a 2xx and return the body. */
export function ok<T = any>(r: Res<T>): T {
  if (r.status < 200 || r.status > 299) throw new Error(`expected success, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A fresh valid ID number (random region, sequence with the gender's parity, check character). */
export function newIdNumber(opts: { birthDate?: string; gender?: "male" | "female" } = {}): string {
  const birth = opts.birthDate ?? `${randomInt(1940, 2000)}-${String(randomInt(1, 13)).padStart(2, "0")}-${String(randomInt(1, 29)).padStart(2, "0")}`;
  const g = opts.gender ?? "male";
  const seq = String(randomInt(0, 50) * 2 + (g === "male" ? 1 : 0)).padStart(2, "0");
  const first17 = `${randomInt(110000, 660000)}${birth.replace(/-/g, "")}${String(randomInt(0, 10))}${seq}`;
  return first17 + idCheckChar(first17);
}

export const newMobile = () => `139${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;

/** The unit of a demo user's first role assignment (a grid for workers). */
export async function unitOf(username: string): Promise<string> {
  return ok(await as(username, "GET", "/v1/me")).assignments[0].unitId;
}

/** The children of a unit (micro-grids under a grid). */
export async function childrenOf(username: string, unitId: string): Promise<any[]> {
  return ok(await as(username, "GET", `/v1/units?parentId=${unitId}&limit=200`)).items;
}

/** Field paths of a 400. */
export function fieldPaths(r: Res): string[] {
  expect(r.status).toBe(400);
  return (r.body.error.details?.fields ?? []).map((f: any) => f.path);
}

/** Audit entries of one record this month (read page by page as the admin). */
export async function auditOf(entity: string, entityId: string, month: string): Promise<any[]> {
  const found: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const r: Res = await as("admin", "GET", `/v1/audit?month=${month}&entity=${entity}&entityId=${entityId}&limit=200${cursor ? `&cursor=${cursor}` : ""}`);
    found.push(...ok(r).items);
    cursor = r.body.nextCursor;
    if (!cursor) break;
  }
  return found;
}
