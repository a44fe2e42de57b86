import { recountTallies } from "../../core/registry/repo-tally.ts";
import { logger } from "../../core/log.ts";

/**
 * Nightly (03:30 county time): recount households, people and places per unit subtree from the
 * registry's list indexes and rewrite the tallies that differ (core/registry/repo-tally.ts).
 */
export const handler = async () => {
  const out = await recountTallies((msg) => logger.info(msg));
  logger.info("registry tallies recounted", out);
  return out;
};
