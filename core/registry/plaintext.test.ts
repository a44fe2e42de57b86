import { describe, it, expect, beforeAll, afterEach } from "vitest";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { call, useStackEnv } from "../../test/client.ts";
import { as, newIdNumber, newMobile, ok, unitOf } from "../../functions/registry/testing.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { registerRoutes } from "../../functions/route-registry.ts";
import { routes } from "../../functions/routes.ts";

// the handlers are called directly, as the embedded stack serves them: the whole route table registered (functions/route-registry.ts)
registerRoutes(routes);

/**
 * Plaintext of ID numbers, phones and birth dates never reaches the table, the audit trail or
 * the logs: items are read raw through the SDK (as the stack stores them) and grepped, and the
 * HTTP handlers are run in this process with every log line captured at DEBUG.
 */
let grid1: string;

beforeAll(async () => {
  grid1 = await unitOf("worker1");
  useStackEnv();
});

async function raw(key: Record<string, string>): Promise<Record<string, unknown>> {
  const { db, tableName } = await import("../db/client.ts");
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  expect(out.Item, JSON.stringify(key)).toBeDefined();
  return out.Item!;
}

/** Audit rows about one record this month, read raw. */
async function rawAudit(entityId: string, month: string): Promise<Record<string, unknown>[]> {
  const { db, tableName } = await import("../db/client.ts");
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", FilterExpression: "entityId = :id", ExpressionAttributeValues: { ":pk": `AUDIT#${month}`, ":id": entityId }, ExclusiveStartKey: start }),
    );
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Every way a value could appear: as given, digits only, and (for dates) without dashes. */
const forms = (...values: string[]) => [...new Set(values.flatMap((v) => [v, v.replace(/\D/g, "")]).filter((v) => v.length >= 8))];

function expectAbsent(haystack: unknown, needles: string[]) {
  const text = typeof haystack === "string" ? haystack : JSON.stringify(haystack);
  for (const n of needles) expect(text.includes(n), `found a plaintext value in ${text.slice(0, 200)}…`).toBe(false);
}

describe("plaintext never stored", () => {
  it("keeps ID numbers, phones and birth dates out of every raw item the registry writes", async () => {
    const idNumber = newIdNumber({ birthDate: "1952-07-19" });
    const [personPhone, contactPhone, ownerPhone] = [newMobile(), newMobile(), newMobile()];
    const h = ok(await as("worker1", "POST", "/v1/registry/households", { unitId: grid1, address: "金山小区 9 栋", membersCount: 1, contactPhone, class: "key" }));
    const p = ok(await as("worker1", "POST", "/v1/registry/people", { householdId: h.id, name: "钱奶奶", idNumber, phone: personPhone }));
    const place = ok(await as("worker1", "POST", "/v1/registry/places", { unitId: grid1, name: "钱记便利店", kind: "shop", address: "金山路 3 号", ownerName: "钱老板", ownerPhone }));
    ok(await as("worker1", "PATCH", `/v1/registry/people/${p.id}`, { version: 1, phone: personPhone, tags: ["elderly_alone"] }));
    ok(await as("community1", "POST", `/v1/registry/people/${p.id}/reveal`, { purpose: "identity_check", reason: "核对身份信息" }));
    ok(await as("worker1", "POST", "/v1/registry/search", { idNumber, purpose: "identity_check", reason: "核对身份信息" }));

    const needles = forms(idNumber, personPhone, contactPhone, ownerPhone, "1952-07-19");
    const person = await raw({ pk: `PERSON#${p.id}`, sk: "META" });
    expect(person.idNumberSealed).toMatch(/^e1\.\d+\./);
    expect(person.idNumberMasked).toBe(`**************${idNumber.slice(-4)}`);
    expect(person.gsi2pk).toMatch(/^IDHASH#[A-Za-z0-9_-]{43}$/);
    const items = [
      person,
      await raw({ pk: `IDREF#${person.idNumberHash}`, sk: "META" }),
      await raw({ pk: `HOUSEHOLD#${h.id}`, sk: "META" }),
      await raw({ pk: `HOUSEHOLD#${h.id}`, sk: "VISITSTATE" }),
      await raw({ pk: `PLACE#${place.id}`, sk: "META" }),
      ...(await rawAudit(p.id, p.createdAt.slice(0, 7))),
      ...(await rawAudit(h.id, h.createdAt.slice(0, 7))),
      ...(await rawAudit(place.id, place.createdAt.slice(0, 7))),
      ...(await rawAudit("search", p.createdAt.slice(0, 7))),
    ];
    expect(items.length).toBeGreaterThan(8);
    for (const item of items) expectAbsent(item, needles);
  });
});

describe("plaintext never logged", () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it("writes no plaintext to stdout/stderr while handlers create, refuse, reveal, search and fail", async () => {
    process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
    const { logger } = await import("../log.ts");
    logger.setLogLevel("DEBUG");
    const captured: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const origConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const grab = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a))).join(" "));
    };
    process.stdout.write = ((chunk: unknown) => (captured.push(String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown) => (captured.push(String(chunk)), true)) as typeof process.stderr.write;
    Object.assign(console, { log: grab, info: grab, warn: grab, error: grab, debug: grab });
    restore = () => {
      process.stdout.write = out;
      process.stderr.write = err;
      Object.assign(console, origConsole);
      logger.setLogLevel("WARN");
    };

    // the handlers run in this process: give them the shared stack's time (other files move that clock),
    // so tokens the stack issued are judged at the stack's time, not this machine's
    const { ManualClock, useClock } = await import("../clock.ts");
    const here = new ManualClock();
    here.set(new Date((await call("GET", "/_local/clock")).body.now));
    useClock(here);
    const token = await tokenFor("worker1");
    const revealer = await tokenFor("community1");
    const invoke = async (routeKey: string, body: unknown, params: Record<string, string> = {}, bearer = token) => {
      const mod = await import(`../../functions/registry/${{ "POST /v1/registry/people": "people-create", "POST /v1/registry/people/{id}/reveal": "people-reveal", "POST /v1/registry/search": "search" }[routeKey]}.ts`);
      const res = await mod.handler(
        {
          version: "2.0",
          routeKey,
          rawPath: "/",
          rawQueryString: "",
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
          body: JSON.stringify(body),
          isBase64Encoded: false,
          pathParameters: params,
          requestContext: { requestId: `log-test-${captured.length}`, http: { method: "POST", path: "/", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" } },
        },
        {},
      );
      captured.push(`RESPONSE ${res.statusCode}`);
      return res;
    };

    const idNumber = newIdNumber({ birthDate: "1961-02-03" });
    const phone = newMobile();
    const badId = idNumber.slice(0, 17) + (idNumber[17] === "1" ? "2" : "1");
    const created = await invoke("POST /v1/registry/people", { unitId: grid1, name: "日志测试", idNumber, phone });
    expect(created.statusCode).toBe(201);
    const id = JSON.parse(created.body).id;
    expect((await invoke("POST /v1/registry/people", { unitId: grid1, name: "重复", idNumber, phone })).statusCode).toBe(409);
    expect((await invoke("POST /v1/registry/people", { unitId: grid1, name: "坏号", idNumber: badId, phone: `${phone}99` })).statusCode).toBe(400);
    expect((await invoke("POST /v1/registry/search", { idNumber, purpose: "identity_check", reason: "日志测试核对" })).statusCode).toBe(200);
    expect((await invoke("POST /v1/registry/people/{id}/reveal", { purpose: "identity_check", reason: "日志测试核对" }, { id }, revealer)).statusCode).toBe(200);
    // an internal failure (storage unreachable) is logged with its error: still no plaintext
    const table = process.env.WANGGE_TABLE;
    process.env.WANGGE_TABLE = "no-such-table";
    try {
      expect((await invoke("POST /v1/registry/people", { unitId: grid1, name: "失败", idNumber: newIdNumber(), phone })).statusCode).toBe(500); // unknown storage error: internal
    } finally {
      process.env.WANGGE_TABLE = table;
    }
    restore();
    restore = undefined;
    // the failure was logged (so this test sees the logs it checks)
    expect(captured.some((c) => c.includes('"level"') && c.includes("log-test-"))).toBe(true);
    expectAbsent(captured.join("\n"), forms(idNumber, badId, phone, `${phone}99`, "1961-02-03"));
  });
});
