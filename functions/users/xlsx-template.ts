import { STAFF } from "../../core/xlsx/spec-staff.ts";
import { xlsxTemplate } from "../../core/xlsx/template.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/users/template.xlsx`: the Excel template of the staff list (core/xlsx/lists.ts). */
export const handler = xlsxApi(() => xlsxTemplate("staff", [STAFF]));
