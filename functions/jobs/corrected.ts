import { correctedFile } from "../../core/xlsx/corrected.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/jobs/{id}/corrected.xlsx[?lang=zh|en]`: an Excel import's workbook with an `错误` column on the rejected rows. */
export const handler = xlsxApi((req) => correctedFile(req.principal, req.params.id, req.query));
