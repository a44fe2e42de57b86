/**
 * Excel import of the registry on an embedded stack (DynamoDB Local + fauxqs + the local API):
 * community staff upload one workbook of HOUSEHOLDS households and PEOPLE people (PER people a
 * household, all in one grid) through `POST /v1/registry/people/import.xlsx` and wait for the job;
 * then the same file again (everything found unchanged), then the export. Each step is timed client
 * side (upload to finished job) and its DynamoDB cost counted as DynamoDB reports it
 * (ReturnConsumedCapacity, core/db/metrics.ts: every request of the process, the job consumer's
 * included), per imported record (households + people). docs/registry.md "Excel".
 */
import ExcelJS from "exceljs";
import { idCheckChar } from "../core/registry/idcard.ts";
import { measureCapacity, measured } from "../core/db/metrics.ts";
import { startStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { round, type BenchResult, type Row } from "./harness.ts";

const PEOPLE = Number(process.env.BENCH_REGISTRY_PEOPLE ?? 5000);
const PER = 5;
const HOUSEHOLDS = Math.ceil(PEOPLE / PER);
const PASSWORD = "bench-password-123";
const GRID = "350206001001001";

/** Distinct valid ID numbers: birth dates spread over 1940–1999, sequence numbers 1–999. */
function idNumber(i: number): string {
  const day = new Date(Date.UTC(1940, 0, 1) + (i % 21_000) * 86_400_000);
  const birth = day.toISOString().slice(0, 10).replace(/-/g, "");
  const first = `350206${birth}${String(1 + Math.floor(i / 21_000)).padStart(3, "0")}`;
  return first + idCheckChar(first);
}

async function workbook(template: Buffer): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const hs = wb.getWorksheet("住户")!;
  const ps = wb.getWorksheet("人员")!;
  hs.spliceRows(3, 1);
  ps.spliceRows(3, 1);
  for (let h = 0; h < HOUSEHOLDS; h++) hs.addRow(["", GRID, `金山路 ${Math.floor(h / 40) + 1} 号 ${(h % 40) + 101} 室`, "一般户", String(PER), `户主${h}`, `139${String(h).padStart(8, "0")}`]);
  for (let i = 0; i < PEOPLE; i++) {
    const h = Math.floor(i / PER);
    ps.addRow(["", `居民${i}`, "居民身份证", idNumber(i), "", i % PER === 0 ? "户主" : "子女", i % PER === 0 ? `139${String(h).padStart(8, "0")}` : "", GRID, `金山路 ${Math.floor(h / 40) + 1} 号 ${(h % 40) + 101} 室`]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function registryExcelBench(): Promise<BenchResult> {
  const stack = await startStack({ log: () => {}, autoSchedule: false });
  measureCapacity(true);
  try {
    await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
    const login = await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "community1", password: PASSWORD }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}`, "content-type": "application/json" };
    const get = async (path: string) => {
      const r = await fetch(stack.url + path, { headers });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r;
    };
    const file = await workbook(Buffer.from(await (await get("/v1/registry/people/template.xlsx")).arrayBuffer()));
    const importOnce = async () => {
      const r = await fetch(`${stack.url}/v1/registry/people/import.xlsx`, { method: "POST", headers, body: JSON.stringify({ fileName: "bench.xlsx", content: file.toString("base64") }) });
      const { jobId } = (await r.json()) as { jobId: string };
      for (;;) {
        const job = (await (await get(`/v1/jobs/${jobId}`)).json()) as { status: string; result: Record<string, number> };
        if (job.status === "succeeded" || job.status === "failed") return job;
        await new Promise((res) => setTimeout(res, 250));
      }
    };
    const rows: Row[] = [];
    const records = HOUSEHOLDS + PEOPLE;
    const step = async (name: string, fn: () => Promise<unknown>, check: (r: any) => string) => {
      await stack.poller!.idle();
      const t0 = performance.now();
      const { result, cost } = await measured(fn);
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ step: name, records, seconds: round(seconds, 1), "records/s": round(records / seconds, 0), requests: cost.requests, "requests/record": round(cost.requests / records, 2), "RCU/record": round(cost.rcu / records, 2), "WCU/record": round(cost.wcu / records, 2), outcome: check(result) });
    };
    await step("import (new)", importOnce, (j) => `${j.result.created} created, ${j.result.rejected} rejected`);
    await step("same file again", importOnce, (j) => `${j.result.unchanged} unchanged, ${j.result.created} created`);
    await step("export (masked)", async () => (await get("/v1/registry/people/export.xlsx")).arrayBuffer(), (b) => `${Math.round(b.byteLength / 1024)} KiB`);
    return {
      name: `Registry Excel import: ${HOUSEHOLDS} households + ${PEOPLE} people in one workbook (${Math.round(file.byteLength / 1024)} KiB), community staff, embedded stack`,
      rows,
      notes: [
        "time from upload to the finished job (client side, polling every 250 ms); DynamoDB requests and capacity of the whole process (API and job consumer) as DynamoDB reports them",
        "each new person: the registry's own create (ID reference + person + audit in one transaction, the ID number and phone sealed) and the AGG#registry tally ADDs on the unit path",
      ],
    };
  } finally {
    measureCapacity(false);
    await stack.stop();
  }
}
