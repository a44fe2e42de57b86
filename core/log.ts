import { Logger } from "@aws-lambda-powertools/logger";

/** Structured JSON logs (AWS Powertools). Secrets never go in here: log ids, not tokens. */
export const logger = new Logger({ serviceName: "wangge" });
