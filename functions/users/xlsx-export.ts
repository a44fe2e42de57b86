import { staffExport } from "../../core/xlsx/export-staff.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/users/export.xlsx`: the staff list in the template's layout (it can be edited and imported again). */
export const handler = xlsxApi((req) => staffExport(req.principal, req.now));
