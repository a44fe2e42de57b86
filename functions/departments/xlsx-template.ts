import { DEPARTMENTS } from "../../core/xlsx/spec-departments.ts";
import { xlsxTemplate } from "../../core/xlsx/template.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/departments/template.xlsx`: the Excel template of the departments list (core/xlsx/lists.ts). */
export const handler = xlsxApi(() => xlsxTemplate("departments", [DEPARTMENTS]));
