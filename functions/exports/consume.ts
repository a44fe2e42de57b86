import * as z from "zod/mini";
import { clock } from "../../core/clock.ts";
import { logger } from "../../core/log.ts";
import { buildExport } from "../../core/export/build.ts";
import { sqsConsumer } from "../sqs.ts";

const Message = z.object({ exportId: z.string().check(z.minLength(1), z.maxLength(40)) });

/** Builds an approved export into its CSV (idempotent: a redelivered message finds it ready and skips). */
export const handler = sqsConsumer("exports", async (body) => {
  const { exportId } = Message.parse(body);
  const r = await buildExport(exportId, clock.now());
  logger.info("export build", { exportId, built: r.built, rows: r.rows });
});
