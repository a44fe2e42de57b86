import { departmentsExport } from "../../core/xlsx/export-departments.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/departments/export.xlsx`: the departments list in the template's layout (it can be edited and imported again). */
export const handler = xlsxApi((req) => departmentsExport(req.principal, req.now));
