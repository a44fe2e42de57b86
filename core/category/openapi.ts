/** API reference entries of the category catalogue, spread into core/openapi/registry.ts's `routeDocs`. */
import * as z from "zod/mini";
import type { RouteDoc } from "../openapi/registry.ts";
import { Duration } from "../calendar/schema.ts";
import { ApplyCatalogue } from "./catalogue.ts";

const Deadlines = z.partial(z.object({ accept: Duration, claim: Duration, dispatch: Duration, handle: Duration, verify: Duration, evaluate: Duration }));
const Entry = z.object({ code: z.string(), name: z.string(), exists: z.boolean(), countyName: z.optional(z.string()).check(z.describe("the county's own name of a code it already uses")) });
const CatalogueView = z.object({
  source: z.string(),
  classes: z.array(
    z.extend(Entry, { isDispute: z.optional(z.boolean()), police: z.optional(z.boolean()), urgent: z.optional(z.boolean()), deadlines: Deadlines, children: z.array(Entry) }),
  ),
});

export const catalogueRouteDocs: Record<string, RouteDoc> = {
  "GET /v1/category-catalogue": {
    summary: "The standard category catalogue",
    description: "Classes (GB/T 30428.2 event classes 01–05 and grid-governance classes 21–25) with their subclasses and default deadlines; `exists` marks codes the county already uses.",
    tag: "categories",
    response: CatalogueView,
  },
  "POST /v1/category-catalogue": {
    summary: "Create categories from the catalogue",
    description: "Creates the picked classes and subclasses (a picked subclass brings its class) with the catalogue's codes, optionally renamed and with a class's deadlines adjusted. Codes the county already uses are left unchanged and listed as `existing`; applying the same choice twice creates nothing.",
    tag: "categories",
    body: ApplyCatalogue,
    status: 200,
    response: z.object({ created: z.array(z.string()), existing: z.array(z.string()) }),
  },
};
