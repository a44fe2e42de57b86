/**
 * Reads and writes of a unit import.
 *
 * Writing converges under crashes, redeliveries and concurrent runs of the same file: rows are
 * written parents before children (depth by depth); each chunk first reads the code references
 * of its codes (BatchGet), then writes in transactions where a new unit is created together with
 * its code reference (`attribute_not_exists`, so a code never gets two units) and a check that
 * its parent is still active at the same path (so no orphan), and an existing unit is replaced
 * only at the version just read. A chunk whose transaction fails re-reads and retries; a re-run
 * of the whole import finds what is already written and updates or skips it.
 */
import { ulid } from "ulid";
import { centroid } from "../geo/measure.ts";
import type { JobError } from "../job/schema.ts";
import { defaultType } from "./codes.ts";
import { codeRefs, refsByPrefix, replaceUnitOp, toRef, unitRefsById, unitsById, writeImportTx } from "./repo-import.ts";
import { newUnitOps, parentCheck } from "./repo.ts";
import { concurrency, pool, sleep } from "./pool.ts";

export { codeRefs, concurrency, pool, unitsById };
import type { PlannedRow, UnitRef } from "./import-plan.ts";
import type { Unit } from "./schema.ts";

/** Rows per chunk: one BatchGet of code refs, then transactions of up to 100 items. */
export const CHUNK_ROWS = 40;
const MAX_TX_ITEMS = 100;
const MAX_TX_BYTES = 3_500_000;
/** DynamoDB items are at most 400 KB; keep a margin for attribute names and index keys. */
const MAX_UNIT_BYTES = 380_000;
const ATTEMPTS = 4;






/** Above this many codes, read the units of their common code prefix with one Query instead of BatchGets. */
const QUERY_ABOVE = 200;


function commonPrefix(codes: string[]): string {
  let p = codes[0] ?? "";
  for (const c of codes) {
    let n = 0;
    while (n < p.length && n < c.length && p[n] === c[n]) n++;
    p = p.slice(0, n);
  }
  return p;
}


/**
 * The units (as refs) that already have one of these codes: the file's own codes and the codes of
 * their parents. A big file is a subtree or a whole county: one Query over the code range of its
 * rows (gsi3, every unit by code) reads what exists there, instead of a BatchGet per 100 codes;
 * codes outside that range (the parents of the file's top rows) are read by BatchGet.
 */
export async function lookUpRefs(rowCodes: string[], parentCodes: string[] = []): Promise<Map<string, UnitRef>> {
  const wanted = [...new Set([...rowCodes, ...parentCodes])];
  const refs = new Map<string, UnitRef>();
  let rest = wanted;
  const prefix = rowCodes.length > QUERY_ABOVE ? commonPrefix(rowCodes) : "";
  if (prefix.length >= 6) {
    const want = new Set(wanted);
    for (const r of await refsByPrefix(prefix)) if (want.has(r.code)) refs.set(r.code, r);
    rest = wanted.filter((c) => !c.startsWith(prefix));
  }
  if (!rest.length) return refs;
  const ids = await codeRefs(rest);
  const items = await unitRefsById([...new Set(ids.values())]);
  for (const i of items) refs.set(i.code as string, toRef(i));
  return refs;
}

export const refOf = (u: Unit): UnitRef => ({ id: u.id, code: u.code, parentId: u.parentId, path: u.path, depth: u.depth, active: u.active });

/** The unit as the row would leave it, or undefined when the row changes nothing. */
export function applyRow(u: Unit, row: PlannedRow, at: string): Unit | undefined {
  const boundary = row.boundary ?? u.boundary;
  const next: Unit = {
    ...u,
    name: row.name,
    type: row.type ?? u.type,
    boundary,
    centroid: boundary ? (boundary === u.boundary ? u.centroid : centroid(boundary)) : undefined,
    // a new boundary brings its own warnings (none when it fits)
    boundaryWarnings: row.boundary ? (row.boundaryWarnings?.length ? row.boundaryWarnings : undefined) : u.boundaryWarnings,
    households: row.households ?? u.households,
    population: row.population ?? u.population,
  };
  const same =
    next.name === u.name &&
    next.type === u.type &&
    next.households === u.households &&
    next.population === u.population &&
    (boundary === u.boundary || JSON.stringify(boundary) === JSON.stringify(u.boundary));
  if (same) return undefined;
  return { ...next, version: u.version + 1, updatedAt: at };
}

export function newUnit(row: PlannedRow, parent: UnitRef, now: Date): Unit {
  const id = ulid(now.getTime());
  const at = now.toISOString();
  return {
    id,
    parentId: parent.id,
    depth: parent.depth + 1,
    level: row.level,
    name: row.name,
    code: row.code,
    type: row.type ?? defaultType(row.level),
    path: `${parent.path}${id}/`,
    boundary: row.boundary,
    centroid: row.boundary ? centroid(row.boundary) : undefined,
    ...(row.boundaryWarnings?.length ? { boundaryWarnings: row.boundaryWarnings } : {}),
    households: row.households,
    population: row.population,
    active: true,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

export type Outcome = "created" | "updated" | "unchanged";

interface Tx {
  ops: any[];
  bytes: number;
  parents: Set<string>;
  rows: Array<{ row: PlannedRow; unit: Unit; outcome: Outcome }>;
}

/**
 * Write one chunk of rows of the same depth whose parents are written (in `refs`). Returns the
 * outcome per code and the rows that could not be written; `refs` learns the written units.
 */
export async function writeChunk(rows: PlannedRow[], refs: Map<string, UnitRef>, now: () => Date): Promise<{ outcomes: Map<string, Outcome>; errors: JobError[] }> {
  const outcomes = new Map<string, Outcome>();
  const errors: JobError[] = [];
  let pending = rows;
  for (let attempt = 1; pending.length && attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await sleep(50 * 2 ** attempt + Math.random() * 50);
    const ids = await codeRefs(pending.map((r) => r.code));
    const units = await unitsById([...ids.values()]);
    const at = now();
    const txs: Tx[] = [];
    const add = (entry: Tx["rows"][number], ops: any[], parent?: UnitRef) => {
      const bytes = ops.reduce((n, op) => n + (op.Put ? JSON.stringify(op.Put.Item).length : 200), 0);
      const needsCheck = parent && !txs.at(-1)?.parents.has(parent.id);
      const count = ops.length + (needsCheck ? 1 : 0);
      let tx = txs.at(-1);
      if (!tx || tx.ops.length + count > MAX_TX_ITEMS || tx.bytes + bytes > MAX_TX_BYTES) {
        tx = { ops: [], bytes: 0, parents: new Set(), rows: [] };
        txs.push(tx);
      }
      if (parent && !tx.parents.has(parent.id)) {
        tx.parents.add(parent.id);
        tx.ops.push(parentCheck(parent));
      }
      tx.ops.push(...ops);
      tx.bytes += bytes;
      tx.rows.push(entry);
    };
    for (const row of pending) {
      const parent = row.parentCode ? refs.get(row.parentCode) : undefined;
      if (row.parentCode && !parent) {
        errors.push({ line: row.line, reason: `parent ${row.parentCode} was not written` });
        continue;
      }
      const id = ids.get(row.code);
      if (id) {
        const u = units.get(id);
        if (!u) {
          errors.push({ line: row.line, reason: `code ${row.code} refers to a unit that does not exist (${id})` });
          continue;
        }
        if (u.parentId !== (parent?.id ?? null)) {
          errors.push({ line: row.line, reason: `code ${row.code} is already used by a unit under another parent` });
          continue;
        }
        const next = applyRow(u, row, at.toISOString());
        if (!next) {
          if (!outcomes.has(row.code)) outcomes.set(row.code, "unchanged");
          refs.set(row.code, refOf(u));
          continue;
        }
        if (JSON.stringify(next).length > MAX_UNIT_BYTES) {
          errors.push({ line: row.line, reason: "boundary too large to store (a unit is at most about 380 KB)" });
          continue;
        }
        add({ row, unit: next, outcome: "updated" }, [replaceUnitOp(next, u.version)]);
        continue;
      }
      if (!parent) {
        errors.push({ line: row.line, reason: `unit ${row.code} not found; the county root cannot be created by an import` });
        continue;
      }
      const unit = newUnit(row, parent, at);
      if (JSON.stringify(unit).length > MAX_UNIT_BYTES) {
        errors.push({ line: row.line, reason: "boundary too large to store (a unit is at most about 380 KB)" });
        continue;
      }
      add(
        { row, unit, outcome: "created" },
        newUnitOps(unit),
        parent,
      );
    }
    const retry: PlannedRow[] = [];
    for (const tx of txs) {
      const result = await writeImportTx(tx.ops);
      if (result === "retry") {
        retry.push(...tx.rows.map((r) => r.row));
        continue;
      }
      if (result !== "written") {
        for (const { row } of tx.rows) errors.push({ line: row.line, reason: `not written: the database refused it (${result.refused})` });
        continue;
      }
      for (const { row, unit, outcome } of tx.rows) {
        if (!outcomes.has(row.code)) outcomes.set(row.code, outcome);
        refs.set(row.code, refOf(unit));
      }
    }
    pending = retry;
  }
  for (const row of pending) {
    errors.push({ line: row.line, reason: "not written: the unit or its parent changed meanwhile; run the import again" });
  }
  return { outcomes, errors };
}

/**
 * Write planned rows depth by depth, chunks of a depth in parallel. A row whose parent could not
 * be written is reported, not written. `onChunk` gets the rows settled by each chunk.
 */
export async function writeRows(
  rows: PlannedRow[],
  refs: Map<string, UnitRef>,
  opts: { now: () => Date; onChunk?: (settled: number) => Promise<void>; concurrency?: number; chunkRows?: number },
): Promise<{ created: number; updated: number; unchanged: number; errors: JobError[] }> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const errors: JobError[] = [];
  const depths = [...new Set(rows.map((r) => r.depth))].sort((a, b) => a - b);
  for (const depth of depths) {
    const atDepth = rows.filter((r) => r.depth === depth);
    const ready: PlannedRow[] = [];
    for (const r of atDepth) {
      if (r.parentCode && !refs.has(r.parentCode)) errors.push({ line: r.line, reason: `parent ${r.parentCode} was not written` });
      else ready.push(r);
    }
    if (ready.length < atDepth.length) await opts.onChunk?.(atDepth.length - ready.length);
    const chunks: PlannedRow[][] = [];
    const size = opts.chunkRows ?? CHUNK_ROWS;
    for (let i = 0; i < ready.length; i += size) chunks.push(ready.slice(i, i + size));
    await pool(chunks, opts.concurrency ?? concurrency(), async (chunk) => {
      const out = await writeChunk(chunk, refs, opts.now);
      for (const o of out.outcomes.values()) counts[o]++;
      errors.push(...out.errors);
      await opts.onChunk?.(chunk.length);
    });
  }
  return { ...counts, errors: errors.sort((a, b) => a.line - b.line) };
}
