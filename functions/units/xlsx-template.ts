import { UNITS } from "../../core/xlsx/spec-units.ts";
import { xlsxTemplate } from "../../core/xlsx/template.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/units/template.xlsx`: the Excel template of the units list, the caller's unit codes in its dropdowns (core/xlsx/lists.ts). */
export const handler = xlsxApi((req) => xlsxTemplate("units", [UNITS], req.principal));
