/** The bulk import's pure parts: formats, job progress, the error report as CSV. */

export type ImportFormat = "geojson" | "csv" | "shapefile";
export type ImportMode = "all" | "partial";

export const IMPORT_CONTENT_TYPES: Record<ImportFormat, string> = {
  geojson: "application/geo+json",
  csv: "text/csv; charset=utf-8",
  shapefile: "application/zip",
};

/** What `GET /v1/jobs/{id}` returns (core/job/schema.ts JobView). */
export interface JobView {
  id: string;
  kind: string;
  status: "queued" | "validating" | "importing" | "succeeded" | "failed";
  total: number;
  done: number;
  /** `column`, `code` and `params` when the file itself could not be read (core/unit/file-errors.ts) */
  errors: { line: number; column?: number; code?: string; params?: Record<string, string | number>; reason: string }[];
  errorCount: number;
  result: Record<string, unknown> | null;
  createdAt: string;
  finishedAt?: string;
}

export const isFinished = (j: Pick<JobView, "status">): boolean => j.status === "succeeded" || j.status === "failed";

/** The file's format from its name (or type); undefined when neither tells. */
export function formatOf(name: string, type = ""): ImportFormat | undefined {
  const n = name.toLowerCase();
  if (n.endsWith(".csv") || type.startsWith("text/csv")) return "csv";
  if (n.endsWith(".zip") || type.includes("zip")) return "shapefile";
  if (n.endsWith(".geojson") || n.endsWith(".json") || type.includes("json")) return "geojson";
  return undefined;
}

/** Percent done, or undefined while the total is not known yet. */
export function progressOf(j: Pick<JobView, "status" | "done" | "total">): number | undefined {
  if (isFinished(j)) return 100;
  if (!j.total) return undefined;
  return Math.min(100, Math.round((j.done / j.total) * 100));
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** `line,reason` rows (RFC 4180), as the API's own report. */
export function errorReportCsv(errors: readonly { line: number; reason: string }[]): string {
  return ["line,reason", ...errors.map((e) => `${csvCell(e.line)},${csvCell(e.reason)}`)].join("\r\n") + "\r\n";
}
