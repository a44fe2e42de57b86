import { api } from "../http.ts";
import { postIndicatorValues } from "../../core/indicator/service.ts";

/** JSON `{period, items:[{unitId|unitCode, values}]}` or a CSV upload (`content-type: text/csv`, header period,unit,key,value). */
export const handler = api((req) => postIndicatorValues(req.principal, req.body, req.now));
