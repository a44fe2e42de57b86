/**
 * What every Excel import's writes share (core/xlsx/apply.ts: staff, departments, categories;
 * registry-apply.ts: households and people; units-apply.ts: the unit tree): the outcome counts, the
 * row refusal and the per-record loop. Apart from apply.ts so that one family's runner does not load
 * another family's services (issue #15: each runner of the jobs consumer loads only its own).
 */
import type { Principal } from "../auth/principal.ts";
import { VisibleError } from "../errors.ts";
import { pool } from "../unit/pool.ts";
import type { RowProblem } from "./reason.ts";

export type Outcome = "created" | "updated" | "unchanged";

export interface ApplyResult {
  created: number;
  updated: number;
  unchanged: number;
  problems: RowProblem[];
  /** staff: the activation codes issued to the accounts created without a password (shown once, never stored) */
  activations?: IssuedCode[];
}

export interface IssuedCode {
  username: string;
  displayName: string;
  phone?: string;
  unitCodes: string[];
  code: string;
  expiresAt: string;
}

export interface ApplyContext {
  principal: Principal;
  now: () => Date;
  /** called after each record (rows done) for the job's progress */
  progress: (rows: number) => Promise<void>;
  /** the import job (activation codes remember it: a re-run of the same job issues its codes again) */
  jobId?: string;
}

/** The message of a refused write, for the row (a service's 4xx message; anything else rethrown). */
export function refused(line: number, e: unknown): RowProblem {
  if (!(e instanceof VisibleError)) throw e;
  const fields = (e.details as { fields?: Array<{ path: string; message: string }> } | undefined)?.fields;
  const detail = fields?.length ? ` (${fields.map((f) => `${f.path}: ${f.message}`).join("; ")})` : "";
  return { line, code: "refused", params: { message: `${e.message}${detail}`.slice(0, 300) } };
}

export const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/** Run `fn` and report its outcome or the row's refusal; progress after each. */
export async function each<T extends { lines?: number[]; line?: number }>(items: T[], concurrency: number, ctx: ApplyContext, out: ApplyResult, fn: (x: T) => Promise<Outcome | RowProblem[]>) {
  await pool(items, concurrency, async (x) => {
    const line = x.line ?? x.lines![0];
    let r: Outcome | RowProblem[];
    try {
      r = await fn(x);
    } catch (e) {
      r = [refused(line, e)];
    }
    if (typeof r === "string") out[r]++;
    else out.problems.push(...r);
    await ctx.progress(x.lines?.length ?? 1);
  });
}
