import { api } from "../http.ts";
import { unitMap } from "../../core/unit/tree.ts";

/** `GET /v1/units/map?level=grid`: every unit of a level in the caller's part, boundaries and case figures. */
export const handler = api((req) => unitMap(req.principal, req.query, req.now));
