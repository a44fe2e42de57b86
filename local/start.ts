import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { startStack } from "./stack.ts";
import { seedDemoCounty, DEMO_USERS } from "./demo-county.ts";
import { ensureConsoleBuilt } from "./console-build.ts";

/**
 * `npm start`: the whole product on this machine — emulators, API, queues, schedules, console
 * and a demo county. Configuration: PORT (3000), WANGGE_DATA_DIR (.wangge), WANGGE_DEMO_PASSWORD.
 */
const t0 = Date.now();
const dataDir = resolve(process.env.WANGGE_DATA_DIR ?? ".wangge");
const port = Number(process.env.PORT ?? 3000);
const log = (m: string) => console.log(`[wangge] ${m}`);
mkdirSync(dataDir, { recursive: true });

function demoPassword(): string {
  if (process.env.WANGGE_DEMO_PASSWORD) return process.env.WANGGE_DEMO_PASSWORD;
  const file = join(dataDir, "demo-password");
  if (!existsSync(file)) writeFileSync(file, randomBytes(9).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

const [stack] = await Promise.all([
  startStack({ dataDir, port, serveConsole: true, log, holdUntilReady: true }),
  ensureConsoleBuilt(log).catch((e) => log(`console build failed: ${(e as Error).message}`)),
]);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  await stack.stop().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

// so `npm run migrate|admin:create -- --stage local` can reach this stack
writeFileSync(join(dataDir, "endpoints.json"), JSON.stringify(stack.env), { mode: 0o600 });

const password = demoPassword();
const seeded = await seedDemoCounty({ password, now: stack.clock.now(), log });
if (seeded.seeded) log("demo county seeded");
stack.ready();

const url = `http://localhost:${port}`;
console.log(`
  wangge is running (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)

  Console   ${url}/
  API       ${url}/v1   (health: ${url}/v1/health, reference: ${url}/docs)
  Residents ${url}/resident/?grid=350206001001001   (phone codes are printed in this log)
  Data      ${dataDir}   (npm run reset wipes it)
  Clock     POST ${url}/_local/clock {"advanceMinutes": 60}   Jobs: npm run job -- <name>

  Demo logins (password: ${password})
${DEMO_USERS.map((u) => `    ${u.username.padEnd(12)} ${u.role.padEnd(17)} ${u.displayName}`).join("\n")}
`);
