import { xlsxExport } from "../../core/xlsx/export.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/categories/export.xlsx`: the categories list in the template's layout (it can be edited and imported again). */
export const handler = xlsxApi((req) => xlsxExport(req.principal, "categories", req.now));
