import { bookExport } from "../../core/xlsx/export-book.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/registry/people/export.xlsx`: the people the caller may read, in the template's layout (core/xlsx/export-book.ts). */
export const handler = xlsxApi((req) => bookExport("people", req.principal, req.now));
