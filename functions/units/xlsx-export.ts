import { unitsExport } from "../../core/xlsx/export-units.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/units/export.xlsx`: the units the caller may read, in the template's layout (core/xlsx/export-units.ts). */
export const handler = xlsxApi((req) => unitsExport(req.principal, req.now));
