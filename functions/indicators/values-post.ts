import { api } from "../http.ts";
import { postIndicatorValues } from "../../core/indicator/service.ts";

/**
 * JSON `{period, items:[{unitId|unitCode, values}]}` or a CSV upload (`content-type: text/csv`,
 * header period,unit,key,value); `?period=` names the month being imported (rows of another are errors).
 */
export const handler = api((req) => postIndicatorValues(req.principal, req.body, req.now, req.query));
