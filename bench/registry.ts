/**
 * Registry reads over HTTP on an embedded stack (DynamoDB Local + the local API): a grid worker
 * lists the 500 households of their grid (pages of 200) and searches people by exact ID number
 * (blind index on gsi2). Times are per request / per full listing, in milliseconds, client side.
 */
import { randomInt } from "node:crypto";
import { putSettings, readSettings } from "../core/settings/service.ts";
import { privacyOf } from "../core/settings/settings.ts";
import { startStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { resetRequestCounts, totalRequests } from "../core/db/metrics.ts";
import { idCheckChar } from "../core/registry/idcard.ts";
import { createHousehold } from "../core/registry/households.ts";
import { createPerson } from "../core/registry/people.ts";
import type { Principal } from "../core/auth/principal.ts";
import { progress, quantile, round, type BenchResult } from "./harness.ts";

const HOUSEHOLDS = 500;
const LISTINGS = 40;
const SEARCHES = 300;
const WARMUP = 10;
const PASSWORD = "bench-password-123";
const SYSTEM: Principal = { kind: "system", id: "bench" };

function idNumber(): string {
  const first17 = `${randomInt(110000, 660000)}${randomInt(1940, 2000)}${String(randomInt(1, 13)).padStart(2, "0")}${String(randomInt(1, 29)).padStart(2, "0")}${String(randomInt(0, 1000)).padStart(3, "0")}`;
  return first17 + idCheckChar(first17);
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: round(quantile(s, 0.5)), p99: round(quantile(s, 0.99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
}

export async function registryBench(): Promise<BenchResult> {
  const stack = await startStack({ log: () => {}, autoSchedule: false });
  try {
    await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
    const login = await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "worker1", password: PASSWORD }) });
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { assignments: Array<{ unitId: string }> } };
    const grid = user.assignments[0].unitId;
    const headers = { authorization: `Bearer ${accessToken}`, "content-type": "application/json" };
    // the bench searches more than a person may in an hour (privacy.searchesPerUserHour): lift the quota for it
    const settings = await readSettings();
    await putSettings(SYSTEM, { ...settings, privacy: { ...privacyOf(settings), searchesPerUserHour: 10_000 } }, stack.clock.now());

    // seed: 500 households in the grid, one registered person each (ID number + phone sealed)
    const ids: string[] = [];
    const tick = progress("seeding households", HOUSEHOLDS);
    const seedStart = performance.now();
    for (let i = 0; i < HOUSEHOLDS; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, HOUSEHOLDS - i) }, async (_, j) => {
          const now = stack.clock.now();
          const h = await createHousehold(SYSTEM, { unitId: grid, address: `示范小区 ${Math.floor((i + j) / 20) + 1} 栋 ${(i + j) % 20 + 101}`, membersCount: 1 + ((i + j) % 5), contactPhone: `139${String(randomInt(0, 1e8)).padStart(8, "0")}`, class: (i + j) % 10 === 0 ? "key" : "general" }, now);
          const id = idNumber();
          await createPerson(SYSTEM, { householdId: h.id, name: `居民${i + j}`, idNumber: id, phone: `138${String(randomInt(0, 1e8)).padStart(8, "0")}` }, now);
          ids.push(id);
        }),
      );
      tick(Math.min(i + 20, HOUSEHOLDS));
    }
    const seedMs = performance.now() - seedStart;

    const listAll = async () => {
      let cursor: string | null = null;
      let n = 0;
      let pages = 0;
      do {
        const r = await fetch(`${stack.url}/v1/registry/households?unitId=${grid}&limit=200${cursor ? `&cursor=${cursor}` : ""}`, { headers });
        if (r.status !== 200) throw new Error(`list: ${r.status} ${await r.text()}`);
        const body = (await r.json()) as { items: unknown[]; nextCursor: string | null };
        n += body.items.length;
        pages++;
        cursor = body.nextCursor;
      } while (cursor);
      return { n, pages };
    };
    const search = async (idNumber: string) => {
      const r = await fetch(`${stack.url}/v1/registry/search`, { method: "POST", headers, body: JSON.stringify({ idNumber, purpose: "identity_check", reason: "bench: exact search" }) });
      if (r.status !== 200) throw new Error(`search: ${r.status} ${await r.text()}`);
      const body = (await r.json()) as { items: unknown[] };
      if (body.items.length !== 1) throw new Error(`search found ${body.items.length}`);
    };

    for (let i = 0; i < WARMUP; i++) {
      await listAll();
      await search(ids[i]);
    }

    resetRequestCounts();
    const listMs: number[] = [];
    let shape = { n: 0, pages: 0 };
    for (let i = 0; i < LISTINGS; i++) {
      const [ms, s] = await timed(listAll);
      listMs.push(ms);
      shape = s;
    }
    if (shape.n !== HOUSEHOLDS) throw new Error(`listed ${shape.n} households, expected ${HOUSEHOLDS}`);
    const listDdb = totalRequests("dynamodb") / (LISTINGS * shape.pages);

    resetRequestCounts();
    const searchMs: number[] = [];
    for (let i = 0; i < SEARCHES; i++) searchMs.push((await timed(() => search(ids[randomInt(0, ids.length)])))[0]);
    const searchDdb = totalRequests("dynamodb") / SEARCHES;

    const l = stats(listMs);
    const s = stats(searchMs);
    return {
      name: `registry over HTTP: a grid's ${HOUSEHOLDS} households, exact search by ID number (embedded stack)`,
      rows: [
        { operation: `list ${HOUSEHOLDS} households (${shape.pages} pages of ≤200)`, requests: LISTINGS, p50_ms: l.p50, p99_ms: l.p99, mean_ms: l.mean, dynamodb_per_http: round(listDdb, 1) },
        { operation: "search person by ID number (HMAC on gsi2)", requests: SEARCHES, p50_ms: s.p50, p99_ms: s.p99, mean_ms: s.mean, dynamodb_per_http: round(searchDdb, 1) },
      ],
      notes: [
        `seeded ${HOUSEHOLDS} households + ${HOUSEHOLDS} people (ID and phones sealed with AES-256-GCM, blind-indexed) in ${round(seedMs / 1000, 1)} s`,
        "list: masked views straight from the items (no decryption); search: normalize → HMAC → one gsi2 query → audit row",
        "DynamoDB Local on this machine, not the AWS service: compare runs with each other, not with production latency",
      ],
    };
  } finally {
    await stack.stop();
  }
}
