/** API reference entry of `POST /v1/names`, spread into core/openapi/registry.ts's `routeDocs`. */
import type { RouteDoc } from "../openapi/registry.ts";
import { Names, NamesRequest } from "./schema.ts";

export const namesRouteDocs: Record<string, RouteDoc> = {
  "POST /v1/names": {
    summary: "Names for labels",
    description:
      "Display names of units (with the names of the units above them), people and departments by id, for any signed-in caller — also for records the caller may not open. Only what a label needs: no username, phone, roles, boundary or counts. At most 100 ids per kind; ids that do not exist are absent from the answer.",
    tag: "names",
    body: NamesRequest,
    status: 200,
    response: Names,
  },
};
