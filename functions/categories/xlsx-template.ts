import { CATEGORIES } from "../../core/xlsx/spec-categories.ts";
import { xlsxTemplate } from "../../core/xlsx/template.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/categories/template.xlsx`: the Excel template of the categories list (core/xlsx/lists.ts). */
export const handler = xlsxApi(() => xlsxTemplate("categories", [CATEGORIES]));
