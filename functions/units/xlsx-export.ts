import { bookExport } from "../../core/xlsx/export-book.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/units/export.xlsx`: the units the caller may read, in the template's layout (core/xlsx/export-book.ts). */
export const handler = xlsxApi((req) => bookExport("units", req.principal, req.now));
