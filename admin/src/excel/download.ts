import { buildUrl, sessionFetch } from "../http.ts";
import { toHttpError, type ApiErrorBody } from "../errors.ts";
import { currentLocale } from "../i18n/index.ts";
import { fileNameOf } from "./model.ts";
import { saveBlob } from "../common/saveBlob.ts";

/** Fetch a workbook from the API (with the session) and save it under the name the API gives. */
export async function downloadWorkbook(path: string, fallbackName: string, query?: Record<string, string>): Promise<string> {
  const res = await sessionFetch(new Request(new URL(buildUrl(path, query), location.href), { headers: { accept: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json" } }));
  if (!res.ok) throw toHttpError(res.status, (await res.json().catch(() => undefined)) as ApiErrorBody | undefined, currentLocale());
  const name = fileNameOf(res.headers.get("content-disposition"), fallbackName);
  saveBlob(name, await res.blob());
  return name;
}
