import { activationCodesFile } from "../../core/xlsx/activation-codes.ts";
import { xlsxApi } from "../xlsx.ts";

/** `GET /v1/jobs/{id}/activation-codes.xlsx`: the one-time activation codes a staff import issued, for the admin who ran it. */
export const handler = xlsxApi((req) => activationCodesFile(req.principal, req.params.id));
