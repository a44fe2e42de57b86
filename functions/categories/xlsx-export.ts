import { categoriesExport } from "../../core/xlsx/export-categories.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/categories/export.xlsx`: the categories list in the template's layout (it can be edited and imported again). */
export const handler = xlsxApi((req) => categoriesExport(req.principal, req.now));
