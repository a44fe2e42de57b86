import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { S3Client, CreateBucketCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import type { Server } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ManualClock, useClock } from "../core/clock.ts";
import { addMonths, forgetFoldMarker, putFoldMarker } from "../core/aggregate/fold.ts";
import { countyMonth } from "../core/aggregate/county-time.ts";
import { resetDb } from "../core/db/client.ts";
import { resetJwtKey } from "../core/auth/secret.ts";
import { forgetSettings } from "../core/settings/settings.ts";
import { forgetCalendar } from "../core/calendar/repo.ts";
import { forgetLocator } from "../core/unit/locate.ts";
import { dlqEnvName, queues, queueEnvName } from "../functions/queues.ts";
import { schedules } from "../functions/schedules.ts";
import { startDynamo, startQueuesAndFiles, ensureTable } from "./emulators.ts";
import { startApiServer } from "./api-server.ts";
import { consoleDistDir } from "./console-build.ts";
import { consoleHeaders, residentHeaders, tileOriginOfJson } from "../core/web/console-headers.ts";
import { startPoller, type Poller } from "./poller.ts";
import { startScheduler, type Scheduler } from "./scheduler.ts";
import { freePort } from "./ports.ts";
import { startS3Cors } from "./s3-cors.ts";

export const TABLE = "wangge-local";
export const BUCKET = "wangge-files";
export const REGION = "us-east-1";

export interface StackOptions {
  /** Persist data here; omitted → everything in memory (tests). */
  dataDir?: string;
  port?: number;
  /** Serve the built console from admin/dist */
  serveConsole?: boolean;
  /** Start the event-source poller and scheduler (default true) */
  async?: boolean;
  /** Run scheduled jobs on their schedules (default true); false: only on request (tests move the clock without firing timers) */
  autoSchedule?: boolean;
  log?: (msg: string) => void;
  /** Answer 503 on /v1 until `ready()` is called (npm start: until the demo county is seeded) */
  holdUntilReady?: boolean;
}

export interface LocalStack {
  url: string;
  env: Record<string, string>;
  clock: ManualClock;
  poller?: Poller;
  scheduler?: Scheduler;
  /** Open the API (see StackOptions.holdUntilReady) */
  ready(): void;
  stop(): Promise<void>;
}

/**
 * The embedded stack: DynamoDB Local + fauxqs (SQS, S3) + the local API Gateway, event-source
 * poller and scheduler, all running the same handlers as Lambda. Endpoints reach the handlers
 * through the standard AWS_ENDPOINT_URL_* variables.
 */
export async function startStack(opts: StackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const [dynamo, faux] = await Promise.all([
    startDynamo({ dataDir: opts.dataDir && join(opts.dataDir, "dynamodb") }),
    startQueuesAndFiles({ dataDir: opts.dataDir && join(opts.dataDir, "fauxqs") }),
  ]);
  const s3Cors = await startS3Cors(faux.address);
  log(`emulators up in ${Date.now() - t0} ms (DynamoDB Local ${dynamo.endpoint}, fauxqs ${faux.address}, S3 with CORS ${s3Cors.url})`);

  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: faux.address,
    AWS_ENDPOINT_URL_S3: s3Cors.url,
    WANGGE_TABLE: TABLE,
    WANGGE_BUCKET: BUCKET,
    WANGGE_STAGE: "local",
    WANGGE_JWT_SECRET: jwtSecret(opts.dataDir),
    // the resident channel's own key (tokens, phone HMACs): never derived from the JWT key
    WANGGE_RESIDENT_KEY: jwtSecret(opts.dataDir, "resident-key"),
    // the registry's local data key (in AWS: KMS) lives with the data it protects
    ...(opts.dataDir ? { WANGGE_LOCAL_KEY_FILE: join(opts.dataDir, "registry.key") } : {}),
    COUNTY_TZ: process.env.COUNTY_TZ ?? "Asia/Shanghai",
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
  };
  const creds = { accessKeyId: "local", secretAccessKey: "local" };
  const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: creds });
  const sqs = new SQSClient({ endpoint: faux.address, region: REGION, credentials: creds, useQueueUrlAsEndpoint: false });
  const s3 = new S3Client({ endpoint: faux.address, region: REGION, credentials: creds, forcePathStyle: true });

  await ensureTable(ddb, TABLE);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  }
  const queueInfo = [];
  for (const q of queues) {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `wangge-${q.name}-dlq` }));
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: `wangge-${q.name}`,
        Attributes: {
          VisibilityTimeout: String(q.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: String(q.maxReceiveCount) }),
        },
      }),
    );
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: main.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    env[queueEnvName(q.name)] = main.QueueUrl!;
    env[dlqEnvName(q.name)] = dlq.QueueUrl!;
    queueInfo.push({ ...q, url: main.QueueUrl!, arn });
  }
  ddb.destroy();
  Object.assign(process.env, env);
  // a process may start several stacks one after another (benches): drop clients and caches bound to the last one
  resetDb();
  resetJwtKey();
  forgetSettings();
  forgetCalendar();
  forgetLocator();

  const clock = new ManualClock();
  useClock(clock);
  // the open-count fold marker (migration 0006 on a deployed table; this stack never runs migrations): written once, at
  // the first start of a table, so its open changes go to the month items from the month before its first start on
  forgetFoldMarker();
  await putFoldMarker(addMonths(countyMonth(clock.now()), -1));

  const poller = opts.async === false ? undefined : startPoller(sqs, queueInfo, REGION);
  const scheduler = opts.async === false ? undefined : startScheduler(schedules, clock, { auto: opts.autoSchedule !== false, onError: (n, e) => log(`job ${n} failed: ${(e as Error).message}`) });

  const port = opts.port ?? (await freePort());
  const staticDir = opts.serveConsole ? consoleDistDir() : undefined;
  let isReady = !opts.holdUntilReady;
  const server: Server = await startApiServer({
    port,
    staticDir,
    isReady: () => isReady,
    // the base map's tile server as the served build's tiles.json names it (admin/src/map/plugin.ts), for both pages' CSP
    staticHeaders: consoleHeaders({ files: [s3Cors.url], tiles: servedTiles(staticDir) }),
    residentHeaders: residentHeaders({ files: [s3Cors.url], tiles: servedTiles(staticDir) }),
    control: {
      "POST /_local/clock": async (body: { advanceMinutes?: number; set?: string }) => {
        if (typeof body.advanceMinutes === "number") clock.advance(body.advanceMinutes * 60_000);
        else if (typeof body.set === "string" && !Number.isNaN(Date.parse(body.set))) clock.set(new Date(body.set));
        else throw new Error('expected {"advanceMinutes": n} or {"set": "<ISO time>"}');
        return { now: clock.now().toISOString() };
      },
      "GET /_local/clock": async () => ({ now: clock.now().toISOString() }),
      "POST /_local/jobs/{name}": async (_b, p) => {
        if (!scheduler) throw new Error("scheduler not running");
        return { job: p.name, result: (await scheduler.run(p.name)) ?? null };
      },
      "POST /_local/queues/idle": async (body: { timeoutMs?: number }) => {
        if (!poller) throw new Error("poller not running");
        await poller.idle(body.timeoutMs);
        return { idle: true, stats: poller.stats() };
      },
      "GET /_local/queues": async () => ({ stats: poller?.stats() ?? {} }),
      "POST /_local/queues/{name}/pause": async (body: { paused?: boolean }, p) => {
        if (!poller) throw new Error("poller not running");
        poller.pause(p.name, body.paused !== false);
        return { queue: p.name, paused: body.paused !== false };
      },
    },
  });
  const url = `http://127.0.0.1:${port}`;
  log(`API on ${url} (${Date.now() - t0} ms)`);

  return {
    url,
    env,
    clock,
    poller,
    scheduler,
    ready() {
      isReady = true;
    },
    async stop() {
      scheduler?.stop();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await poller?.stop();
      sqs.destroy();
      s3.destroy();
      await s3Cors.stop();
      await faux.stop();
      await dynamo.stop();
    },
  };
}

/** The tile origin of the served console's tiles.json (else VITE_TILE_URL), as a CSP source list. */
function servedTiles(dir: string | undefined): string[] {
  const file = dir && join(dir, "tiles.json");
  const origin = tileOriginOfJson(file && existsSync(file) ? readFileSync(file, "utf8") : undefined, process.env.VITE_TILE_URL);
  return origin ? [origin] : [];
}

/** Locally generated key (JWT or resident), kept with the data so sessions survive restarts. */
function jwtSecret(dataDir?: string, name = "jwt-secret"): string {
  if (!dataDir) return randomBytes(32).toString("base64url");
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
