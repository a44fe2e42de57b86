import { PEOPLE_BOOK } from "../../core/xlsx/spec-registry.ts";
import { xlsxTemplate } from "../../core/xlsx/template.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/registry/people/template.xlsx`: the Excel template of the people list, the caller's unit codes in its dropdowns (core/xlsx/lists.ts). */
export const handler = xlsxApi((req) => xlsxTemplate("people", PEOPLE_BOOK, req.principal));
