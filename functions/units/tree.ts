import { api } from "../http.ts";
import { unitTree } from "../../core/unit/tree.ts";

/** `GET /v1/units/tree?parentId=`: one level of the unit tree with figures from the aggregates. */
export const handler = api((req) => unitTree(req.principal, req.query, req.now));
