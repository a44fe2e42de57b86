import { describe, it, expect, beforeAll } from "vitest";
import { queuesIdle } from "../../test/client.ts";
import { as, auditOf, fieldPaths, newIdNumber, newMobile, ok, unitOf } from "../registry/testing.ts";

let grid1: string;
const people: Array<{ id: string; idNumber: string; phone: string; name: string }> = [];

/** Parse our CSV (quoted cells, CRLF), after checking and removing the BOM. */
function parseCsv(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  return rows;
}

async function ready(id: string): Promise<any> {
  for (let i = 0; i < 40; i++) {
    await queuesIdle();
    const e = ok(await as("dept1", "GET", `/v1/exports/${id}`));
    if (e.state === "ready") return e;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("export not built");
}

async function download(id: string): Promise<string[][]> {
  const d = ok(await as("dept1", "GET", `/v1/exports/${id}/download`));
  expect(d.expiresInSeconds).toBeLessThanOrEqual(600);
  expect(d.url).toContain("X-Amz-Expires=300");
  const res = await fetch(d.url);
  expect(res.status).toBe(200);
  return parseCsv(Buffer.from(await res.arrayBuffer()));
}

beforeAll(async () => {
  grid1 = await unitOf("worker1");
  for (const name of ["导出甲", "导出乙"]) {
    const idNumber = newIdNumber();
    const phone = newMobile();
    const p = ok(await as("worker1", "POST", "/v1/registry/people", { unitId: grid1, name, idNumber, phone, tags: ["volunteer"] }));
    people.push({ id: p.id, idNumber, phone, name });
  }
});

const request = (over: Record<string, unknown> = {}) => ({ dataset: "people", unitId: grid1, fields: ["name", "idNumber", "phone", "unitCode", "tags"], purpose: "志愿者服务统计", ...over });

describe("exports need the center's approval", () => {
  it("refuses the download before approval and after a refusal; only the center decides", async () => {
    const e = ok(await as("dept1", "POST", "/v1/exports", request()));
    expect(e).toMatchObject({ state: "requested", dataset: "people", requestedBy: { name: "dept1" }, departmentId: "dept-urban" });
    const early = await as("dept1", "GET", `/v1/exports/${e.id}/download`);
    expect(early.status).toBe(403);
    expect(early.body.error.details.state).toBe("requested");
    expect((await as("dept1", "POST", `/v1/exports/${e.id}/approve`, {})).status).toBe(403);
    expect((await as("worker1", "POST", "/v1/exports", request())).status).toBe(403);
    expect((await as("dept2", "GET", `/v1/exports/${e.id}`)).status).toBe(404);
    expect(fieldPaths(await as("center", "POST", `/v1/exports/${e.id}/refuse`, {}))).toEqual(["reason"]);
    const refused = ok(await as("center", "POST", `/v1/exports/${e.id}/refuse`, { reason: "用途不明确" }));
    expect(refused.state).toBe("refused");
    expect((await as("dept1", "GET", `/v1/exports/${e.id}/download`)).status).toBe(403);
    expect((await as("center", "POST", `/v1/exports/${e.id}/approve`, {})).status).toBe(409);
  });

  it("builds an approved export as a UTF-8 CSV with BOM, personal fields masked, downloadable by the requester only", async () => {
    const e = ok(await as("dept1", "POST", "/v1/exports", request()));
    const approved = ok(await as("center", "POST", `/v1/exports/${e.id}/approve`, { note: "同意，脱敏导出" }));
    expect(approved).toMatchObject({ state: "approved", unmaskedApproved: [] });
    const built = await ready(e.id);
    expect(built.rowCount).toBeGreaterThanOrEqual(2);
    expect(built.objectKey).toMatch(new RegExp(`^exports/${e.id}/people-\\d+-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const rows = await download(e.id);
    expect(rows[0]).toEqual(["姓名", "身份证号", "电话", "单元编码", "标签"]);
    const text = JSON.stringify(rows);
    for (const p of people) {
      const row = rows.find((r) => r[0] === p.name)!;
      expect(row).toEqual([p.name, `**************${p.idNumber.slice(-4)}`, `*******${p.phone.slice(-4)}`, expect.stringMatching(/^\d+$/), "volunteer"]);
      expect(text).not.toContain(p.idNumber);
      expect(text).not.toContain(p.phone);
    }
    expect((await as("center", "GET", `/v1/exports/${e.id}/download`)).status).toBe(403);
    expect((await as("dept2", "GET", `/v1/exports/${e.id}/download`)).status).toBe(404);
    const actions = (await auditOf("export", e.id, e.createdAt.slice(0, 7))).map((x) => x.action).sort();
    expect(actions).toEqual(["export.approve", "export.download", "export.ready", "export.request"]);
  });

  it("puts a personal field in clear only when it was requested so and the approver allowed it", async () => {
    const e = ok(await as("dept1", "POST", "/v1/exports", request({ unmasked: ["phone", "idNumber"] })));
    expect(fieldPaths(await as("center", "POST", `/v1/exports/${e.id}/approve`, { unmasked: ["birthDate"] }))).toEqual(["unmasked.0"]);
    ok(await as("center", "POST", `/v1/exports/${e.id}/approve`, { unmasked: ["phone"] }));
    await ready(e.id);
    const rows = await download(e.id);
    for (const p of people) {
      const row = rows.find((r) => r[0] === p.name)!;
      expect(row[1]).toBe(`**************${p.idNumber.slice(-4)}`);
      expect(row[2]).toBe(p.phone);
    }
  });

  it("refuses bad requests with 400 and field details", async () => {
    const r = await as("dept1", "POST", "/v1/exports", { dataset: "people", unitId: grid1, fields: ["name", "salary"], purpose: "x", unmasked: ["name"] });
    expect(fieldPaths(r)).toEqual(["purpose"]);
    const r2 = await as("dept1", "POST", "/v1/exports", request({ fields: ["name", "salary"], unmasked: ["name"] }));
    expect(fieldPaths(r2)).toEqual(["fields.1", "unmasked.0"]);
    expect(fieldPaths(await as("dept1", "POST", "/v1/exports", request({ dataset: "salaries" })))).toEqual(["dataset"]);
    expect(fieldPaths(await as("dept1", "POST", "/v1/exports", request({ unitId: "nope" })))).toEqual(["unitId"]);
  });

  it("lists exports: the requester's own, every one for the center", async () => {
    const e = ok(await as("dept1", "POST", "/v1/exports", request({ dataset: "households", fields: ["address", "contactPhone", "class"] })));
    expect(ok(await as("dept1", "GET", "/v1/exports?limit=200")).items.map((x: any) => x.id)).toContain(e.id);
    expect(ok(await as("dept2", "GET", "/v1/exports?limit=200")).items.map((x: any) => x.id)).not.toContain(e.id);
    expect(ok(await as("center", "GET", "/v1/exports?state=requested&limit=200")).items.map((x: any) => x.id)).toContain(e.id);
  });
});
