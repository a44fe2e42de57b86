import { publicApi } from "../http.ts";
import { SCHEMA_VERSION } from "../../core/db/table.ts";
import { APP_VERSION } from "../../core/version.ts";

export const handler = publicApi(async (req) => ({
  status: "ok",
  app: APP_VERSION,
  schema: SCHEMA_VERSION,
  time: req.now.toISOString(),
}));
