/** A rejected row's problem and its text in a language (the corrected file, the job's errors). */
import { problemText, problemTextEn, type XlsxProblem } from "./messages.ts";
import type { ListSpec } from "./specs.ts";

/** One rejected cell or row: its Excel row, the column key, a problem code with parameters. */
export interface RowProblem {
  line: number;
  /** the sheet, in a workbook of several sheets (households and people) */
  sheet?: string;
  key?: string;
  code: XlsxProblem;
  params?: Record<string, string | number>;
}

/** The problem's text in a language (the column's Chinese or English name as `field`). */
export function problemReason(spec: ListSpec, p: Pick<RowProblem, "key" | "code" | "params">, lang: "zh" | "en"): string {
  const col = spec.columns.find((c) => c.key === (p.params?.field ?? p.key));
  return problemText(p.code, { ...p.params, key: col?.key ?? "", field: col ? (lang === "zh" ? col.zh : col.en) : String(p.params?.field ?? "") }, lang, spec.list);
}


/** The problem's English text (a job's `reason`): `problemReason(spec, p, "en")` without loading the Chinese table (the jobs consumer, issue #15). */
export function problemReasonEn(spec: ListSpec, p: Pick<RowProblem, "key" | "code" | "params">): string {
  const col = spec.columns.find((c) => c.key === (p.params?.field ?? p.key));
  return problemTextEn(p.code, { ...p.params, key: col?.key ?? "", field: col ? col.en : String(p.params?.field ?? "") });
}
