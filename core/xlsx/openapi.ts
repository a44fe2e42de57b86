/** API reference entries of the Excel templates, imports and exports (#20), spread into core/openapi/registry.ts's `routeDocs`. */
import * as z from "zod/mini";
import type { RouteDoc } from "../openapi/registry.ts";
import { CorrectedQuery, XLSX_TYPE, XlsxUpload } from "./schema.ts";

const IDEMPOTENCY = { name: "Idempotency-Key", description: "Retry-safe requests: a repeated key returns the first job (24 h). Letters, digits, _ . : - (≤128)." };
const JobAccepted = z.object({ jobId: z.string() });
const LISTS = { users: ["staff", "users", "accounts (one row per role assignment, keyed by username)"], departments: ["departments", "departments", "departments (keyed by code)"], categories: ["categories", "categories", "categories (keyed by code; per-street departments are not in the sheet)"],
  units: ["units", "units", "units (keyed by code: name, type, parent code, statistics; boundaries are not in the sheet)"],
  "registry/households": ["households", "registry", "households (keyed by record id, else unit code + address; contact phones masked as in lists; audited as registry.export)"],
  "registry/people": ["people", "registry", "households and people (two sheets; people keyed by record id, else ID number within the caller's scope; ID numbers and phones masked as in lists, a mask left as exported means unchanged; audited as registry.export)"],
} as const;

function docsOf(path: keyof typeof LISTS): Record<string, RouteDoc> {
  const [, tag, what] = LISTS[path];
  return {
    [`GET /v1/${path}/template.xlsx`]: {
      summary: `Excel template of ${tag}`,
      description: `Row 1 the Chinese column names (* required), row 2 the machine keys, row 3 an example (skipped by the import while left as it is); validation lists; a help sheet. Columns: docs/setup.md "Excel".`,
      tag,
      responseTypes: { [XLSX_TYPE]: "binary" },
    },
    [`GET /v1/${path}/export.xlsx`]: {
      summary: `Export ${tag} as Excel`,
      description: `The ${what} the caller may read, in the template's layout: an export edited and uploaded again updates only what changed.`,
      tag,
      responseTypes: { [XLSX_TYPE]: "binary" },
    },
    [`POST /v1/${path}/import.xlsx`]: {
      summary: `Import ${tag} from Excel as a background job`,
      description: `The filled template in base64 (at most 4 MiB). Answers 202 \`{jobId}\`; poll \`GET /v1/jobs/{id}\`: \`errors\` name the row as Excel numbers it, the column and a problem \`code\` with \`params\`; \`GET /v1/jobs/{id}/corrected.xlsx\` returns the workbook with an error column. Good rows are written, bad rows reported; uploading the same file again changes nothing.`,
      tag,
      body: XlsxUpload,
      headers: [IDEMPOTENCY],
      status: 202,
      response: JobAccepted,
    },
  };
}

export const xlsxRouteDocs: Record<string, RouteDoc> = {
  ...docsOf("users"),
  ...docsOf("departments"),
  ...docsOf("categories"),
  ...docsOf("units"),
  ...docsOf("registry/households"),
  ...docsOf("registry/people"),
  "GET /v1/jobs/{id}/corrected.xlsx": {
    summary: "The workbook of an Excel import with its errors",
    description: "The uploaded workbook with an error column (`错误`, or `Errors` with lang=en) on each rejected row; initial passwords are kept only on those rows. 409 while the job runs.",
    tag: "jobs",
    query: CorrectedQuery,
    responseTypes: { [XLSX_TYPE]: "binary" },
  },
};
