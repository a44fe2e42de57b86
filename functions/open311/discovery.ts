import { discovery } from "../../core/open311/service-list.ts";
import { baseUrl, open311 } from "./respond.ts";

const EPHEMERAL = new Set(["local", "dev", "test"]);

/** `GET /open311/v2/discovery.{json,xml}`: Open311 service discovery. */
export const handler = open311(async (req) => ({
  root: "discovery",
  value: await discovery({ baseUrl: baseUrl(req), production: !EPHEMERAL.has(process.env.WANGGE_STAGE ?? process.env.SST_STAGE ?? "local") }),
}));
